#include "app/import.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/core.h>

#include "api/native/codec.hpp"
#include "app/admin.hpp"
#include "app/csv.hpp"
#include "app/progress.hpp"
#include "domain/contacts.hpp"
#include "domain/crypto.hpp"
#include "domain/custom_fields.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {
namespace {

using Clock = std::chrono::steady_clock;

// One row of the input as a native create body, with the line it started on.
struct RawRow {
  std::int64_t line = 0;
  std::string json;
  std::string error;  // set when the row could not even be read (CSV shape)
};

// Yields rows as JSON text, whatever the file format. Not thread-safe.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual bool Next(RawRow& row) = 0;
  // Bytes consumed so far; may be read from another thread.
  std::uintmax_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 protected:
  void Consumed(std::size_t line_length) {
    bytes_.fetch_add(line_length + 1, std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uintmax_t> bytes_{0};
};

class NdjsonSource final : public RowSource {
 public:
  explicit NdjsonSource(std::istream& in) : in_(in) {}
  bool Next(RawRow& row) override {
    while (std::getline(in_, row.json)) {
      ++line_;
      Consumed(row.json.size());
      bool blank = std::all_of(row.json.begin(), row.json.end(),
                               [](unsigned char c) { return std::isspace(c); });
      if (blank) continue;
      row.line = line_;
      row.error.clear();
      return true;
    }
    return false;
  }

 private:
  std::istream& in_;
  std::int64_t line_ = 0;
};

// Turns CSV records into create bodies: typed columns are converted, empty cells are absent. A
// column "a.b" is member b of object a (spouse.name, custom_fields.<key>); a custom field's cell
// is read as its type needs (numbers, true/false, ';'-separated choices).
class CsvSource final : public RowSource {
 public:
  CsvSource(std::istream& in, const std::vector<domain::CustomField>& custom_fields)
      : reader_(in), custom_fields_(custom_fields) {
    std::int64_t line = 0;
    reader_.Next(header_, line);
  }
  bool Next(RawRow& row) override {
    std::vector<std::string> cells;
    if (!reader_.Next(cells, row.line)) return false;
    Consumed(reader_.bytes() - counted_);
    counted_ = reader_.bytes();
    row.error.clear();
    if (reader_.malformed()) {
      row.error = "unterminated quoted field";
      return true;
    }
    if (cells.size() != header_.size()) {
      row.error = fmt::format("has {} fields, the header has {}", cells.size(), header_.size());
      return true;
    }
    boost::json::object object;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      const std::string& column = header_[i];
      std::size_t dot = column.find('.');
      if (dot == std::string::npos) {
        object[column] = Convert(column, cells[i]);
        continue;
      }
      std::string parent = column.substr(0, dot);
      std::string member = column.substr(dot + 1);
      boost::json::value& nested = object[parent];
      if (!nested.is_object()) nested = boost::json::object();
      nested.get_object()[member] = parent == "custom_fields" ? ConvertCustom(member, cells[i])
                                                              : boost::json::value(cells[i]);
    }
    row.json = boost::json::serialize(object);
    return true;
  }

 private:
  static boost::json::value Convert(const std::string& column, const std::string& cell) {
    if (column == "company_id" || column == "source_id" || column == "hotness_id" ||
        column == "reports_to" || column == "owner_user_id" || column == "assigned_user_id") {
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec == std::errc() && end == cell.data() + cell.size()) return value;
      return boost::json::value(cell);  // reported as "must be an integer"
    }
    if (column == "is_primary" || column == "is_connected" || column == "dnd") {
      if (cell == "true" || cell == "1") return true;
      if (cell == "false" || cell == "0") return false;
      return boost::json::value(cell);
    }
    // Cells `contactd export` writes as JSON: structured members, and lists an item of which
    // holds a ';'.
    if (column == "phones" || column == "addresses" || column == "dnd_settings" ||
        column == "contact_types" || column == "tags") {
      if (auto parsed = JsonCell(cell)) return std::move(*parsed);
    }
    if (column == "contact_types" || column == "tags") {
      boost::json::array types;
      for (const std::string& type : Split(cell, ';')) types.emplace_back(type);
      return types;
    }
    if (column == "phones") {
      boost::json::array phones;
      for (const std::string& entry : Split(cell, ';')) {
        boost::json::object phone;
        // "raw:type", where the part after the last ':' is a phone type.
        std::size_t colon = entry.rfind(':');
        std::string type = colon == std::string::npos ? "" : entry.substr(colon + 1);
        if (!type.empty() && std::find(domain::kPhoneTypes.begin(), domain::kPhoneTypes.end(),
                                       type) != domain::kPhoneTypes.end()) {
          phone["raw"] = entry.substr(0, colon);
          phone["type"] = type;
        } else {
          phone["raw"] = entry;
        }
        phones.push_back(std::move(phone));
      }
      return phones;
    }
    return boost::json::value(cell);
  }

  // A custom field's cell as the JSON its type takes; a cell that is not one is passed on as
  // text, for validation to report.
  boost::json::value ConvertCustom(const std::string& key, const std::string& cell) const {
    const domain::CustomField* field = domain::FindCustomField(custom_fields_, key);
    if (field == nullptr) return boost::json::value(cell);
    switch (field->type) {
      case domain::CustomFieldType::kNumber: {
        double value = 0;
        auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
        if (ec == std::errc() && end == cell.data() + cell.size()) return value;
        return boost::json::value(cell);
      }
      case domain::CustomFieldType::kBoolean:
        if (cell == "true" || cell == "1") return true;
        if (cell == "false" || cell == "0") return false;
        return boost::json::value(cell);
      case domain::CustomFieldType::kMultiSelect: {
        if (auto parsed = JsonCell(cell); parsed && parsed->is_array()) return std::move(*parsed);
        boost::json::array options;
        for (const std::string& option : Split(cell, ';')) options.emplace_back(option);
        return options;
      }
      default:
        return boost::json::value(cell);
    }
  }

  // A cell holding a JSON array or object, parsed; nullopt for any other cell.
  static std::optional<boost::json::value> JsonCell(const std::string& cell) {
    if (cell.empty() || (cell.front() != '[' && cell.front() != '{')) return std::nullopt;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(cell, ec);
    if (ec || !(value.is_array() || value.is_object())) return std::nullopt;
    return value;
  }

  static std::vector<std::string> Split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find(separator, start);
      if (end == std::string::npos) end = text.size();
      std::string part = text.substr(start, end - start);
      while (!part.empty() && part.front() == ' ') part.erase(part.begin());
      while (!part.empty() && part.back() == ' ') part.pop_back();
      if (!part.empty()) parts.push_back(std::move(part));
      start = end + 1;
    }
    return parts;
  }

  CsvReader reader_;
  const std::vector<domain::CustomField>& custom_fields_;
  std::vector<std::string> header_;
  std::uintmax_t counted_ = 0;
};

// A row after validation: a contact ready to insert but for its company, or why it failed.
struct PreparedRow {
  std::int64_t line = 0;
  domain::NewContact contact;
  std::optional<std::string> company_name;
  std::optional<std::int64_t> created_at;
  std::string error;  // empty when the row is valid
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Describe(const std::vector<domain::FieldError>& errors) {
  std::string text;
  for (const domain::FieldError& error : errors) {
    if (!text.empty()) text += "; ";
    text += error.message;
  }
  return text;
}

// What a row is checked against: the account's companies, settings and custom fields.
struct AccountRules {
  std::unordered_set<std::int64_t> company_ids;
  std::unordered_set<std::int64_t> source_ids;
  std::unordered_set<std::int64_t> hotness_ids;
  domain::WritePolicy policy;
};

// Validates one row without touching the store.
PreparedRow Prepare(const RawRow& raw, const AccountRules& rules) {
  const std::unordered_set<std::int64_t>& company_ids = rules.company_ids;
  PreparedRow row;
  row.line = raw.line;
  if (!raw.error.empty()) {
    row.error = raw.error;
    return row;
  }
  auto parsed = api::native::ParseImportRow(raw.json);
  if (!parsed) {
    row.error = parsed.error().message;
    return row;
  }
  domain::FieldErrors errors = std::move(parsed->input.errors);
  row.contact = domain::ValidateNewContact(parsed->input, rules.policy, errors);
  row.company_name = std::move(parsed->company_name);
  row.created_at = parsed->created_at;
  if (row.contact.company && row.company_name) {
    errors.Add("company_id", "give company_id or company_name, not both");
  } else if (row.contact.company) {
    if (!company_ids.contains(row.contact.company->value)) {
      errors.Add("company_id", "company_id must be the id of a company in this account");
    }
  } else if (row.company_name && row.company_name->empty()) {
    errors.Add("company_name", "company_name must not be empty");
  } else if (row.company_name && domain::Utf8Length(*row.company_name) > 255) {
    errors.Add("company_name", "company_name must be at most 255 characters");
  }
  if (row.contact.source_id && !rules.source_ids.contains(*row.contact.source_id)) {
    errors.Add("source_id", "source_id must be the id of a source of this account");
  }
  if (row.contact.hotness_id && !rules.hotness_ids.contains(*row.contact.hotness_id)) {
    errors.Add("hotness_id", "hotness_id must be the id of a hotness level of this account");
  }
  if (!errors.empty()) row.error = Describe(errors.list());
  return row;
}

// Rows read and validated together, and how far into the input they reach.
struct Batch {
  std::vector<PreparedRow> rows;
  std::uintmax_t bytes_read = 0;  // of the input, up to the end of this batch
  bool last = false;              // the input ended in this batch
};

// Reads up to `count` rows and validates them on two threads.
Batch ReadAndPrepare(RowSource& source, std::size_t count, const AccountRules& rules) {
  std::vector<RawRow> raw;
  raw.reserve(count);
  RawRow row;
  while (raw.size() < count && source.Next(row)) raw.push_back(row);
  Batch batch;
  batch.bytes_read = source.bytes();
  batch.last = raw.size() < count;
  std::vector<PreparedRow>& prepared = batch.rows;
  prepared.resize(raw.size());
  auto work = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) prepared[i] = Prepare(raw[i], rules);
  };
  std::size_t half = raw.size() / 2;
  auto first = std::async(std::launch::async, work, 0, half);
  work(half, raw.size());
  first.get();
  return batch;
}

// Rebuilding the contact indexes re-sorts the whole table, so it pays when the load is at least
// as large as what is there already; `first` is the load's first batch.
store::LoadMode ChooseLoadMode(IndexMode mode, const Batch& first, std::uintmax_t file_bytes,
                               std::int64_t existing_contacts) {
  if (mode == IndexMode::kRebuild) return store::LoadMode::kRebuildIndexes;
  if (mode == IndexMode::kKeep) return store::LoadMode::kBatches;
  double rows = static_cast<double>(first.rows.size());
  if (!first.last && first.bytes_read > 0) rows *= static_cast<double>(file_bytes) / first.bytes_read;
  return rows >= static_cast<double>(existing_contacts) ? store::LoadMode::kRebuildIndexes
                                                        : store::LoadMode::kBatches;
}

}  // namespace

int ImportCommand(const ImportOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "contactd: cannot open {}\n", options.file);
    return 1;
  }
  std::string format = options.format;
  if (format.empty()) {
    format = Lower(std::filesystem::path(options.file).extension().string()) == ".csv" ? "csv"
                                                                                       : "ndjson";
  }
  if (!DatabaseExists(options.db_path)) return 1;
  store::sqlite::SqliteStore store(
      {.path = options.db_path, .create_if_missing = false, .cache_kib = 512 * 1024});
  domain::AccountId account{options.account_id};
  auto found = store.FindAccount(account);
  if (!found || !*found) {
    fmt::print(stderr, "contactd: account {} does not exist\n", options.account_id);
    return 1;
  }
  auto companies = store.AllCompanies(account);
  if (!companies) {
    fmt::print(stderr, "contactd: {}\n", companies.error().message);
    return 1;
  }
  AccountRules rules;
  std::unordered_map<std::string, domain::CompanyId> company_by_name;  // by domain::FoldCase
  for (const domain::Company& company : *companies) {
    rules.company_ids.insert(company.id.value);
    company_by_name.emplace(domain::FoldCase(company.name), company.id);
  }
  auto settings = store.GetSettings(account);
  auto custom_fields = store.ListCustomFields(account);
  auto sources = store.ListSources(account);
  auto levels = store.ListHotnessLevels(account);
  for (const domain::Error* error :
       {settings ? nullptr : &settings.error(), custom_fields ? nullptr : &custom_fields.error(),
        sources ? nullptr : &sources.error(), levels ? nullptr : &levels.error()}) {
    if (error == nullptr) continue;
    fmt::print(stderr, "contactd: {}\n", error->message);
    return 1;
  }
  for (const domain::Source& source : *sources) rules.source_ids.insert(source.id);
  for (const domain::StoredHotnessLevel& level : *levels) rules.hotness_ids.insert(level.level.id);
  rules.policy.default_country = settings->default_country;
  // A row may have no company and no type: contacts made through the other surfaces, or whose
  // company was detached, have none, and an export of them must import again.
  rules.policy.requires_type_and_company = false;
  rules.policy.custom_fields = std::move(*custom_fields);
  std::unique_ptr<RowSource> source;
  if (format == "csv") {
    source = std::make_unique<CsvSource>(in, rules.policy.custom_fields);
  } else {
    source = std::make_unique<NdjsonSource>(in);
  }

  auto existing_contacts = store.CountAllContacts();
  if (!existing_contacts) {
    fmt::print(stderr, "contactd: {}\n", existing_contacts.error().message);
    return 1;
  }
  std::error_code size_error;
  std::uintmax_t file_bytes = std::filesystem::file_size(options.file, size_error);
  Progress progress(file_bytes, "import");
  std::int64_t imported = 0;
  std::int64_t failed = 0;
  std::int64_t companies_created = 0;
  bool rebuild = false;
  auto start = Clock::now();

  // Rows of the next batch are read and validated while the current batch is written.
  auto next = std::async(std::launch::async, ReadAndPrepare, std::ref(*source), options.batch_rows,
                         std::cref(rules));
  std::unique_ptr<store::ContactLoad> load;
  // Owners and assignees must be users of the account: one lookup per distinct user of the whole
  // import (users are never deleted).
  std::unordered_map<std::int64_t, bool> users;
  auto is_user = [&](domain::UserId id) {
    auto [it, inserted] = users.emplace(id.value, false);
    if (inserted) {
      auto found = store.FindUser(account, id);
      it->second = found && *found;
    }
    return it->second;
  };
  for (;;) {
    Batch read = next.get();
    if (read.rows.empty()) break;
    if (!load) {
      store::LoadMode mode = ChooseLoadMode(options.indexes, read, file_bytes, *existing_contacts);
      auto begun = store.BeginContactLoad(mode);
      if (!begun) {
        next.wait();
        fmt::print(stderr, "contactd: {}\n", begun.error().message);
        return 1;
      }
      load = std::move(*begun);
      rebuild = mode == store::LoadMode::kRebuildIndexes;
    }
    std::vector<PreparedRow>& rows = read.rows;
    next = std::async(std::launch::async, ReadAndPrepare, std::ref(*source), options.batch_rows,
                      std::cref(rules));
    std::int64_t now = domain::NowSeconds();
    // A manager must be a contact of the account already (the store refuses the whole batch
    // otherwise): one lookup per distinct manager of the batch.
    std::unordered_map<std::int64_t, bool> managers;
    for (PreparedRow& row : rows) {
      if (!row.error.empty() || !row.contact.reports_to) continue;
      auto [it, inserted] = managers.emplace(row.contact.reports_to->value, false);
      if (inserted) {
        auto found = store.FindContact(domain::WholeAccount(account), *row.contact.reports_to);
        it->second = found && *found;
      }
      if (!it->second) row.error = "reports_to must be the id of a contact of this account";
    }
    for (PreparedRow& row : rows) {
      if (!row.error.empty()) continue;
      if (row.contact.owner && !is_user(*row.contact.owner)) {
        row.error = "owner_user_id must be the id of a user of this account";
      } else if (row.contact.assigned && !is_user(*row.contact.assigned)) {
        row.error = "assigned_user_id must be the id of a user of this account";
      }
    }
    std::vector<domain::NewContact> batch;
    batch.reserve(rows.size());
    for (PreparedRow& row : rows) {
      if (!row.error.empty()) {
        ++failed;
        fmt::print(stderr, "line {}: {}\n", row.line, row.error);
        continue;
      }
      if (row.company_name) {
        std::string key = domain::FoldCase(*row.company_name);
        auto it = company_by_name.find(key);
        if (it == company_by_name.end()) {
          auto created = load->CreateCompany(
              domain::NewCompany::Named(account, domain::NewUuidV4(), *row.company_name, now));
          if (!created) {
            next.wait();
            fmt::print(stderr, "contactd: cannot create company: {}\n", created.error().message);
            return 1;
          }
          ++companies_created;
          it = company_by_name.emplace(key, created->id).first;
        }
        row.contact.company = it->second;
      }
      row.contact.account = account;
      row.contact.uid = domain::NewUuidV4();
      row.contact.now = row.created_at.value_or(now);
      batch.push_back(std::move(row.contact));
    }
    auto written = load->Add(batch);
    if (!written) {
      next.wait();
      fmt::print(stderr, "contactd: import stopped after {} contacts{}: {}\n", imported,
                 rebuild ? ", none of them kept" : "", written.error().message);
      return 1;
    }
    imported += static_cast<std::int64_t>(batch.size());
    progress.Update(source->bytes(), imported + failed);
  }
  progress.Update(0, imported + failed, /*done=*/true);
  if (load) {
    if (rebuild) fmt::print(stderr, "import: building the contact indexes\n");
    auto committed = load->Commit();
    if (!committed) {
      fmt::print(stderr, "contactd: import failed{}: {}\n", rebuild ? ", nothing kept" : "",
                 committed.error().message);
      return 1;
    }
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  fmt::print(stderr,
             "imported {} contacts ({} companies created) in {:.1f}s, {:.0f} rows/s; {} rows "
             "failed\n",
             imported, companies_created, seconds, seconds > 0 ? imported / seconds : 0, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace contactd::app
