#include "app/webhook_worker.hpp"

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <random>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/native/events_codec.hpp"
#include "api/v1/codec.hpp"
#include "domain/crypto.hpp"
#include "domain/ssrf.hpp"
#include "domain/time.hpp"
#include "domain/webhooks.hpp"
#include "store/store.hpp"

namespace contactd::app {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxResponseBytes = 64 * 1024;
constexpr double kFailingLimitMs = 3 * 24 * 3600 * 1000.0;
constexpr double kLongestGapMs = 10 * 3600 * 1000.0;
constexpr std::array<std::int64_t, 11> kRetrySeconds = {
    5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600,
    10 * 3600, 10 * 3600, 10 * 3600, 10 * 3600};

// The body an endpoint receives, in its format, and its webhook-id.
std::pair<std::string, std::string> Payload(const domain::DueDelivery& delivery) {
  if (delivery.webhook.format == "v1") {
    std::string id = delivery.kind == "ping" ? "ping_" + std::to_string(delivery.id)
                                             : domain::EventPublicId(delivery.event->id);
    return {std::move(id), api::v1::WebhookPayload(delivery)};
  }
  if (delivery.kind == "ping") {
    json::object body{{"type", "ping"},
                      {"timestamp", domain::FormatTimestamp(domain::NowSeconds())},
                      {"data", json::object{{"webhook_id", delivery.webhook.id}}}};
    return {"ping_" + std::to_string(delivery.id), json::serialize(body)};
  }
  json::object event = api::native::EventJson(*delivery.event);
  json::object body{{"type", event["type"]},
                    {"timestamp", event["timestamp"]},
                    {"data", event["data"]}};
  if (!event["previous"].is_null()) body["previous"] = event["previous"];
  return {domain::EventPublicId(delivery.event->id), json::serialize(body)};
}

}  // namespace

// One transfer in flight.
struct Transfer {
  domain::DueDelivery delivery;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string response;
  std::int64_t started_ms = 0;
  bool internal_address = false;  // refused at connect
  bool allow_private = false;

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (headers != nullptr) curl_slist_free_all(headers);
  }
};

namespace {

std::size_t Collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  std::size_t room = kMaxResponseBytes - std::min(kMaxResponseBytes, transfer->response.size());
  transfer->response.append(data, std::min(bytes, room));
  return bytes;  // the rest is read and dropped
}

// Checks the address curl is about to connect to: DNS may have changed since registration.
curl_socket_t OpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  if (!transfer->allow_private && !domain::IsPublicAddress(address->addr)) {
    transfer->internal_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::unique_ptr<Transfer> Start(domain::DueDelivery delivery, bool allow_private) {
  auto transfer = std::make_unique<Transfer>();
  transfer->allow_private = allow_private;
  auto [id, body] = Payload(delivery);
  transfer->body = std::move(body);
  std::int64_t timestamp = domain::NowSeconds();
  std::string signature =
      WebhookSignature(delivery.secrets, id, timestamp, transfer->body);
  for (const std::string& header :
       {std::string("content-type: application/json"), "webhook-id: " + id,
        "webhook-timestamp: " + std::to_string(timestamp), "webhook-signature: " + signature,
        std::string("user-agent: contactd-webhooks"),
        std::string("expect:")}) {  // no 100-continue wait before the body
    transfer->headers = curl_slist_append(transfer->headers, header.c_str());
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return nullptr;
  transfer->easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, delivery.webhook.url.c_str());
  // Never through a proxy from the environment: the address connected to is the endpoint's, and
  // it is the one checked.
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(transfer->body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
  transfer->delivery = std::move(delivery);
  transfer->started_ms = domain::NowMilliseconds();
  return transfer;
}

domain::AttemptOutcome Outcome(const Transfer& transfer, CURLcode code, double retry_scale) {
  const domain::DueDelivery& delivery = transfer.delivery;
  domain::AttemptOutcome outcome;
  outcome.now_ms = domain::NowMilliseconds();
  outcome.streak_broken_before_ms =
      outcome.now_ms - static_cast<std::int64_t>(kLongestGapMs * 1.5 * retry_scale);
  domain::DeliveryAttempt& attempt = outcome.attempt;
  attempt.delivery_id = delivery.id;
  attempt.webhook_id = delivery.webhook.id;
  attempt.event_id = delivery.event ? delivery.event->id : 0;
  attempt.attempted_at_ms = transfer.started_ms;
  attempt.duration_ms = outcome.now_ms - transfer.started_ms;
  long status = 0;
  if (code == CURLE_OK) {
    curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
    attempt.status_code = static_cast<int>(status);
  } else if (transfer.internal_address) {
    attempt.error = "refused: the endpoint's address is internal";
  } else {
    attempt.error = curl_easy_strerror(code);
  }
  if (code == CURLE_OK && status >= 200 && status < 300) {
    outcome.delivered = true;
    return outcome;
  }
  if (status >= 300 && status < 400) attempt.error = "redirects are not followed";
  if (status == 410) {
    outcome.disable_reason = "The endpoint answered 410 Gone";
    return outcome;  // no retry
  }
  if (auto delay = RetryDelayMs(delivery.attempts + 1, retry_scale)) {
    outcome.retry_at_ms = outcome.now_ms + *delay;
  }
  auto limit = static_cast<std::int64_t>(kFailingLimitMs * retry_scale);
  if (delivery.failing_since_ms && outcome.now_ms - *delivery.failing_since_ms >= limit) {
    outcome.disable_reason = "Every delivery failed for 3 days";
  }
  return outcome;
}

}  // namespace

std::optional<std::int64_t> RetryDelayMs(int attempts, double scale) {
  if (attempts < 1 || attempts > static_cast<int>(kRetrySeconds.size())) return std::nullopt;
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  double ms = static_cast<double>(kRetrySeconds[attempts - 1]) * 1000.0 * scale * jitter(random);
  return static_cast<std::int64_t>(ms);
}

std::string WebhookSignature(const std::vector<std::string>& secrets, std::string_view id,
                             std::int64_t timestamp, std::string_view body) {
  std::string content =
      std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
  std::string signature;
  for (const std::string& secret : secrets) {
    std::string_view encoded = secret;
    if (encoded.starts_with("whsec_")) encoded.remove_prefix(6);
    auto key = domain::Base64Decode(encoded);
    if (!key) continue;
    if (!signature.empty()) signature += ' ';
    signature += "v1," + domain::Base64Encode(domain::HmacSha256(*key, content));
  }
  return signature;
}

WebhookWorker::WebhookWorker(store::Store& store, WebhookWorkerOptions options)
    : store_(store), options_(options) {
  // Before any thread uses libcurl (only this worker does).
  curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

WebhookWorker::~WebhookWorker() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void WebhookWorker::Run(std::stop_token stop) {
  CURLM* multi = curl_multi_init();
  std::map<std::int64_t, std::unique_ptr<Transfer>> in_flight;  // by delivery
  auto last_fan_out = std::chrono::steady_clock::time_point{};
  while (!stop.stop_requested()) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_fan_out >= std::chrono::milliseconds(100)) {
      last_fan_out = now;
      if (auto made = store_.FanOutEvents(1000, domain::NowSeconds()); !made) {
        spdlog::warn("webhooks: reading the outbox failed: {}", made.error().message);
      }
      StartDue(multi, in_flight);
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    std::vector<domain::AttemptOutcome> outcomes;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      outcomes.push_back(Outcome(*transfer, message->data.result, options_.retry_scale));
      curl_multi_remove_handle(multi, message->easy_handle);
      in_flight.erase(transfer->delivery.id);
    }
    if (!outcomes.empty()) {
      Record(outcomes);
      // Slots are free: look for the endpoints' next deliveries at once.
      last_fan_out = {};
      continue;
    }
    curl_multi_poll(multi, nullptr, 0, 50, nullptr);
  }
  for (auto& [delivery, transfer] : in_flight) curl_multi_remove_handle(multi, transfer->easy);
  in_flight.clear();
  curl_multi_cleanup(multi);
  curl_global_cleanup();
}

void WebhookWorker::StartDue(CURLM* multi,
                             std::map<std::int64_t, std::unique_ptr<Transfer>>& in_flight) {
  std::size_t room = static_cast<std::size_t>(options_.max_in_flight) - in_flight.size();
  if (room == 0) return;
  std::vector<domain::DeliveryInFlight> flying;
  for (const auto& [delivery, transfer] : in_flight) {
    flying.push_back({transfer->delivery.webhook.id, delivery});
  }
  auto due = store_.DueDeliveries(domain::NowMilliseconds(), room,
                                  static_cast<std::size_t>(options_.per_endpoint), flying);
  if (!due) {
    spdlog::warn("webhooks: reading due deliveries failed: {}", due.error().message);
    return;
  }
  std::vector<domain::AttemptOutcome> expired;
  for (domain::DueDelivery& delivery : *due) {
    if (delivery.kind == "event" && !delivery.event) {
      // Expired or erased meanwhile: nothing left to send.
      domain::AttemptOutcome outcome;
      outcome.now_ms = domain::NowMilliseconds();
      outcome.attempted = false;
      outcome.attempt.delivery_id = delivery.id;
      outcome.attempt.webhook_id = delivery.webhook.id;
      expired.push_back(std::move(outcome));
      continue;
    }
    std::int64_t id = delivery.id;
    auto transfer = Start(std::move(delivery), options_.allow_private);
    if (!transfer || curl_multi_add_handle(multi, transfer->easy) != CURLM_OK) {
      spdlog::warn("webhooks: cannot start delivery {}", id);
      continue;
    }
    in_flight[id] = std::move(transfer);
  }
  if (!expired.empty()) {
    if (auto finished = store_.FinishAttempts(expired); !finished) {
      spdlog::warn("webhooks: recording expired deliveries failed: {}", finished.error().message);
    }
  }
}

void WebhookWorker::Record(const std::vector<domain::AttemptOutcome>& outcomes) {
  {
    std::lock_guard lock(counters_.mu);
    for (const domain::AttemptOutcome& outcome : outcomes) {
      counters_.attempts++;
      WebhookCounters::Endpoint& endpoint = counters_.by_endpoint[outcome.attempt.webhook_id];
      endpoint.attempts++;
      if (outcome.delivered) {
        counters_.delivered++;
      } else {
        counters_.failed_attempts++;
        endpoint.failures++;
      }
      if (outcome.disable_reason) counters_.disabled++;
    }
  }
  // One write for every attempt that ended together.
  if (auto finished = store_.FinishAttempts(outcomes); !finished) {
    spdlog::warn("webhooks: recording deliveries failed: {}", finished.error().message);
  }
}

}  // namespace contactd::app
