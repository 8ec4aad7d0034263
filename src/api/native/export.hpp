#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.hpp"
#include "domain/custom_fields.hpp"
#include "domain/query.hpp"
#include "http/message.hpp"

namespace contactd::domain {
class ContactService;
class CursorCodec;
}  // namespace contactd::domain

namespace contactd::api::native {

enum class ExportFormat { kCsv, kNdjson };

// "csv" or "ndjson".
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

// The query of an export from the parameters of a list (every filter, `$or`, `search` and
// `is_connected`, which is `all` unless given), with `format` taken out into `format`. Paging,
// sorting, field selection and `deleted` are refused by name: an export is every matching live
// contact, whole, in id order.
domain::Result<domain::ListQuery> ParseExportQuery(domain::QueryParams params,
                                                   const domain::CursorCodec& cursors,
                                                   ExportFormat& format);

// The contacts a principal sees that match a query, in id order, as rows that `contactd import`
// reads back into the same contacts: NDJSON lines that are create bodies (`company_name` for
// the company; `created_at` kept), or CSV with the import's columns (`phones`, `addresses` and
// `dnd_settings` as JSON cells, `spouse.*` and `custom_fields.<key>` columns). What points at
// other records of the account (reports_to, owner and assigned users, source and hotness ids)
// is left out: it would not mean the same in another account. Reads the store in batches by id
// (a keyset), so memory holds one batch whatever the size; contacts written meanwhile are
// included or not by where their id falls.
class ContactExport final : public http::BodyStream {
 public:
  // An export that has read its first batch, so that a refusal or a failing read is an error
  // answer rather than a body cut short. A reader of contacts may export them: the company
  // names and custom field keys a row shows come with its contacts (ContactService::ExtrasOf).
  static domain::Result<std::unique_ptr<ContactExport>> Open(domain::ContactService& contacts,
                                                             const domain::Principal& principal,
                                                             domain::ListQuery query,
                                                             ExportFormat format);

  ContactExport(domain::ContactService& contacts, domain::Principal principal,
                domain::ListQuery query, ExportFormat format,
                std::vector<domain::CustomField> custom_fields);

  // Reads the first batch. Call once, before Next.
  domain::Result<void> Start();

  // The next batch (the CSV header first). Throws std::runtime_error when a read fails.
  bool Next(std::string& out) override;

  std::int64_t exported() const { return exported_; }

 private:
  // Appends the next batch; returns whether more may follow.
  domain::Result<bool> Read(std::string& out);
  void AppendCsvHeader(std::string& out) const;
  void AppendRow(std::string& out, const domain::Contact& contact,
                 const std::string& company_name);

  domain::ContactService& contacts_;
  const domain::Principal principal_;
  domain::ListQuery query_;
  const ExportFormat format_;
  const std::vector<domain::CustomField> custom_fields_;
  std::string first_;  // the batch Start read, until Next hands it out
  bool more_after_first_ = false;
  bool started_ = false;
  std::int64_t exported_ = 0;
};

}  // namespace contactd::api::native
