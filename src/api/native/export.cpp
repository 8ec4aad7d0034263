#include "api/native/export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <stdexcept>
#include <utility>

#include "api/native/codec.hpp"
#include "domain/contacts.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

// Contacts per read: a piece of a few hundred kilobytes.
constexpr int kBatchRows = 500;

// Members of the native contact that an import cannot take back, or that would not mean the same
// in another account.
constexpr std::array<std::string_view, 14> kNotExported = {"id",
                                                           "uid",
                                                           "contact_type",
                                                           "full_name_given",
                                                           "source_id",
                                                           "hotness_id",
                                                           "hotness",
                                                           "reports_to",
                                                           "owner_account_id",
                                                           "owner_user_id",
                                                           "assigned_user_id",
                                                           "updated_at",
                                                           "version",
                                                           "company_id"};

// The CSV columns, in the order of the native contact; `spouse` and `custom_fields` stand for
// their members' columns.
constexpr std::array<std::string_view, 36> kCsvColumns = {
    "contact_types", "company_name", "first_name",
    "last_name",     "full_name",    "display_name",
    "email",         "title",        "department",
    "address",       "city",         "state",
    "zip",           "addresses",    "country",
    "linkedin_url",  "website",      "phones",
    "code",          "tax_id",       "description",
    "notes",         "timezone",     "birthday",
    "anniversary",   "spouse",       "preferred_contact_method",
    "source",        "status",       "dnd",
    "dnd_settings",  "tags",         "custom_fields",
    "is_primary",    "is_connected", "created_at"};
constexpr std::array<std::string_view, 4> kSpouseMembers = {"name", "email", "phone", "birthday"};

bool Empty(const json::value& value) {
  return value.is_null() || (value.is_array() && value.get_array().empty()) ||
         (value.is_object() && value.get_object().empty()) ||
         (value.is_string() && value.get_string().empty());
}

// `object` without its null or empty members and those named, in the same order.
void Prune(json::object& object, std::initializer_list<std::string_view> drop = {}) {
  json::object kept;
  for (auto& member : object) {
    bool dropped = std::find(drop.begin(), drop.end(), member.key()) != drop.end();
    if (!dropped && !Empty(member.value())) kept[member.key()] = std::move(member.value());
  }
  object = std::move(kept);
}

// The create body that imports the contact again.
json::object ExportObject(const domain::Contact& contact, const std::string& company_name) {
  json::object full = ContactObject(contact);
  json::object out;
  out.reserve(full.size());
  for (auto& member : full) {
    std::string_view key = member.key();
    if (key == "company_id" && !company_name.empty()) out["company_name"] = company_name;
    if (std::find(kNotExported.begin(), kNotExported.end(), key) != kNotExported.end()) continue;
    // A full name made of the first and last ones is made again by the import, and the flat
    // address fields from the first address.
    if (key == "full_name" && !contact.full_name_given) continue;
    if (!contact.addresses.empty() &&
        (key == "address" || key == "city" || key == "state" || key == "zip")) {
      continue;
    }
    json::value& value = member.value();
    if (Empty(value)) continue;
    if (key == "phones") {
      for (json::value& phone : value.get_array()) Prune(phone.get_object(), {"id", "e164"});
    } else if (key == "addresses") {
      for (json::value& address : value.get_array()) Prune(address.get_object(), {"id"});
    } else if (key == "spouse") {
      Prune(value.get_object());
    }
    out[key] = std::move(value);
  }
  return out;
}

// RFC 4180: quoted when it holds a separator, a quote or a line end, or starts or ends with a
// space (which a reader may trim).
void AppendCsvCell(std::string& out, std::string_view cell) {
  bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// A list of strings as the import reads it: joined by ';', or as a JSON array when a string
// holds a ';' or the cell would start with '[' or '{' (which the import reads as JSON).
std::string ListCell(const json::array& items) {
  std::string joined;
  bool plain = true;
  for (const json::value& item : items) {
    if (!item.is_string()) return json::serialize(items);
    std::string_view text = item.get_string();
    if (text.find(';') != std::string_view::npos) plain = false;
    if (!joined.empty()) joined += ';';
    joined += text;
  }
  if (!plain || joined.starts_with('[') || joined.starts_with('{')) {
    return json::serialize(items);
  }
  return joined;
}

std::string Cell(const json::value& value, bool structured) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  if (value.is_double()) return fmt::format("{}", value.get_double());  // 4.5, not 4.5E0
  if (value.is_array() && !structured) return ListCell(value.get_array());
  return json::serialize(value);
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "ndjson") return ExportFormat::kNdjson;
  return std::nullopt;
}

domain::Result<domain::ListQuery> ParseExportQuery(domain::QueryParams params,
                                                   const domain::CursorCodec& cursors,
                                                   ExportFormat& format) {
  domain::FieldErrors errors;
  std::optional<ExportFormat> chosen;
  bool format_given = false;
  bool connected_given = false;
  domain::QueryParams rest;
  for (auto& [key, value] : params) {
    std::string name = key.substr(0, key.find('['));
    if (name == "format") {
      format_given = true;
      chosen = ParseExportFormat(value);
      if (!chosen || key != "format") errors.Add("format", "format must be csv or ndjson");
      continue;
    }
    if (name == "limit" || name == "cursor" || name == "offset" || name == "sort" ||
        name == "fields" || name == "deleted") {
      errors.Add(name, name +
                           " does not apply to an export, which is every matching contact, "
                           "whole, in id order");
      continue;
    }
    if (name == "is_connected") connected_given = true;
    rest.emplace_back(std::move(key), std::move(value));
  }
  if (!format_given) errors.Add("format", "format is required: csv or ndjson");
  auto query = domain::ParseContactListQuery(rest, cursors, ContactOutputFields());
  if (!query) {
    for (const domain::FieldError& field : query.error().fields) {
      errors.Add(field.field, field.message);
    }
    if (query.error().fields.empty()) return std::unexpected(query.error());
  }
  if (!errors.empty()) {
    std::vector<domain::FieldError> fields = std::move(errors).Take();
    std::string message = fields.front().message;
    return std::unexpected(domain::Error::BadRequest(std::move(message), std::move(fields)));
  }
  format = *chosen;
  if (!connected_given) query->connected = domain::Connected::kAll;
  return std::move(*query);
}

domain::Result<std::unique_ptr<ContactExport>> ContactExport::Open(
    domain::ContactService& contacts, const domain::Principal& principal, domain::ListQuery query,
    ExportFormat format) {
  constexpr domain::ExtrasWanted kColumns{
      .custom_fields = true, .sources = false, .company_names = false};
  auto extras = contacts.ExtrasOf(principal, {}, kColumns);
  if (!extras) return std::unexpected(extras.error());
  auto exporter = std::make_unique<ContactExport>(contacts, principal, std::move(query), format,
                                                  std::move(extras->custom_fields));
  if (auto started = exporter->Start(); !started) return std::unexpected(started.error());
  return exporter;
}

ContactExport::ContactExport(domain::ContactService& contacts, domain::Principal principal,
                             domain::ListQuery query, ExportFormat format,
                             std::vector<domain::CustomField> custom_fields)
    : contacts_(contacts),
      principal_(std::move(principal)),
      query_(std::move(query)),
      format_(format),
      custom_fields_(std::move(custom_fields)) {
  query_.sort.clear();
  query_.offset = 0;
  query_.fields.clear();
  query_.limit = kBatchRows;
  query_.count_total = false;
}

domain::Result<void> ContactExport::Start() {
  if (format_ == ExportFormat::kCsv) AppendCsvHeader(first_);
  auto more = Read(first_);
  if (!more) return std::unexpected(more.error());
  more_after_first_ = *more;
  return {};
}

bool ContactExport::Next(std::string& out) {
  if (!started_) {
    started_ = true;
    out = std::move(first_);
    return more_after_first_;
  }
  auto more = Read(out);
  if (!more) throw std::runtime_error("export: reading contacts failed: " + more.error().message);
  return *more;
}

domain::Result<bool> ContactExport::Read(std::string& out) {
  auto page = contacts_.List(principal_, query_);
  if (!page) return std::unexpected(page.error());
  constexpr domain::ExtrasWanted kCompanyNames{
      .custom_fields = false, .sources = false, .company_names = true};
  auto extras = contacts_.ExtrasOf(principal_, page->items, kCompanyNames);
  if (!extras) return std::unexpected(extras.error());
  static const std::string kNone;
  for (const domain::Contact& contact : page->items) {
    auto name = contact.company ? extras->company_names.find(contact.company->value)
                                : extras->company_names.end();
    AppendRow(out, contact, name != extras->company_names.end() ? name->second : kNone);
  }
  exported_ += static_cast<std::int64_t>(page->items.size());
  if (!page->items.empty()) query_.after_id = page->items.back().id.value;
  return page->has_more;
}

void ContactExport::AppendCsvHeader(std::string& out) const {
  bool first = true;
  auto column = [&](std::string_view name) {
    if (!first) out += ',';
    first = false;
    AppendCsvCell(out, name);
  };
  for (std::string_view name : kCsvColumns) {
    if (name == "spouse") {
      for (std::string_view member : kSpouseMembers) column("spouse." + std::string(member));
    } else if (name == "custom_fields") {
      for (const domain::CustomField& field : custom_fields_) column("custom_fields." + field.key);
    } else {
      column(name);
    }
  }
  out += "\r\n";
}

void ContactExport::AppendRow(std::string& out, const domain::Contact& contact,
                              const std::string& company_name) {
  json::object row = ExportObject(contact, company_name);
  if (format_ == ExportFormat::kNdjson) {
    out += json::serialize(row);
    out += '\n';
    return;
  }
  bool first = true;
  auto cell = [&](const json::value* value, bool structured) {
    if (!first) out += ',';
    first = false;
    if (value != nullptr) AppendCsvCell(out, Cell(*value, structured));
  };
  for (std::string_view name : kCsvColumns) {
    if (name == "spouse" || name == "custom_fields") {
      const json::value* parent = row.if_contains(name);
      const json::object* members = parent ? parent->if_object() : nullptr;
      auto member = [&](std::string_view key) {
        return members ? members->if_contains(key) : nullptr;
      };
      if (name == "spouse") {
        for (std::string_view key : kSpouseMembers) cell(member(key), false);
      } else {
        for (const domain::CustomField& field : custom_fields_) cell(member(field.key), false);
      }
      continue;
    }
    bool structured = name == "phones" || name == "addresses" || name == "dnd_settings";
    cell(row.if_contains(name), structured);
  }
  out += "\r\n";
}

}  // namespace contactd::api::native
