#include "domain/addresses.hpp"

#include <algorithm>

#include "domain/locale.hpp"
#include "domain/phone.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

// The flat fields and the members of the first address they stand for.
struct FlatField {
  TextField field;
  std::optional<std::string> Address::*member;
};
constexpr std::array<FlatField, 4> kFlatFields = {{
    {TextField::kAddress, &Address::line1},
    {TextField::kCity, &Address::city},
    {TextField::kState, &Address::state},
    {TextField::kZip, &Address::postal_code},
}};

std::optional<std::string> Line(const Input<std::string>& input, const std::string& field,
                                FieldErrors& errors) {
  if (!input.value) return std::nullopt;
  return CleanText(field, *input.value, errors);
}

bool IsEmpty(const Address& address) {
  return !address.type && !address.line1 && !address.line2 && !address.city && !address.state &&
         !address.postal_code && !address.country_code && !address.addressee &&
         !address.company_name && !address.attention && !address.phone;
}

}  // namespace

Address ValidateAddress(const AddressInput& in, const std::string& path,
                        const WritePolicy& policy, FieldErrors& errors) {
  Address address;
  if (in.id.value) address.id = *in.id.value;
  address.type = Line(in.type, path + ".type", errors);
  address.line1 = Line(in.line1, path + ".line1", errors);
  address.line2 = Line(in.line2, path + ".line2", errors);
  address.city = Line(in.city, path + ".city", errors);
  address.state = Line(in.state, path + ".state", errors);
  address.postal_code = Line(in.postal_code, path + ".postal_code", errors);
  address.addressee = Line(in.addressee, path + ".addressee", errors);
  address.company_name = Line(in.company_name, path + ".company_name", errors);
  address.attention = Line(in.attention, path + ".attention", errors);
  if (in.country_code.value) {
    address.country_code = IsoCountry(*in.country_code.value);
    if (!address.country_code) {
      errors.Add(path + ".country_code",
                 path + ".country_code must be an ISO 3166-1 alpha-2 country code such as US");
    }
  }
  if (auto phone = Line(in.phone, path + ".phone", errors)) {
    address.phone = NormalizePhoneText(*phone, path + ".phone", policy, errors);
  }
  return address;
}

std::vector<Address> ValidateAddresses(const std::vector<AddressInput>& input,
                                       const WritePolicy& policy, FieldErrors& errors) {
  std::vector<Address> addresses;
  for (std::size_t i = 0; i < input.size() && !errors.full(); ++i) {
    addresses.push_back(
        ValidateAddress(input[i], "addresses[" + std::to_string(i) + "]", policy, errors));
  }
  return addresses;
}

std::vector<Address> MergeFirstAddress(const std::vector<Address>& current,
                                       const Input<AddressInput>& sent, const Address& validated) {
  std::vector<Address> next = current;
  if (!sent.value) {
    if (!next.empty()) next.erase(next.begin());
    return next;
  }
  if (next.empty()) next.emplace_back();
  Address& first = next.front();
  const AddressInput& in = *sent.value;
  auto take = [](const Input<std::string>& member, std::optional<std::string>& to,
                 const std::optional<std::string>& value) {
    if (member.present) to = value;
  };
  take(in.type, first.type, validated.type);
  take(in.line1, first.line1, validated.line1);
  take(in.line2, first.line2, validated.line2);
  take(in.city, first.city, validated.city);
  take(in.state, first.state, validated.state);
  take(in.postal_code, first.postal_code, validated.postal_code);
  take(in.country_code, first.country_code, validated.country_code);
  take(in.addressee, first.addressee, validated.addressee);
  take(in.company_name, first.company_name, validated.company_name);
  take(in.attention, first.attention, validated.attention);
  take(in.phone, first.phone, validated.phone);
  if (IsEmpty(first)) next.erase(next.begin());
  return next;
}

Result<std::optional<std::vector<Address>>> PlanAddresses(
    const std::vector<Address>& current, const std::optional<std::vector<Address>>& sent,
    TextChanges& text) {
  std::vector<Address> next;
  if (sent) {
    next = *sent;
    std::int64_t last_id = 0;
    for (const Address& address : current) last_id = std::max(last_id, address.id);
    std::vector<std::int64_t> kept;
    FieldErrors errors;
    for (std::size_t i = 0; i < next.size(); ++i) {
      Address& address = next[i];
      if (address.id == 0) continue;
      std::string path = "addresses[" + std::to_string(i) + "].id";
      bool known = std::any_of(current.begin(), current.end(),
                               [&](const Address& a) { return a.id == address.id; });
      if (!known) {
        errors.Add(path, path + " is not the id of one of this contact's addresses");
      } else if (std::find(kept.begin(), kept.end(), address.id) != kept.end()) {
        errors.Add(path, path + " names an address already listed");
      }
      kept.push_back(address.id);
    }
    if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
    for (Address& address : next) {
      if (address.id == 0) address.id = ++last_id;
    }
  } else {
    bool flat_sent = std::any_of(kFlatFields.begin(), kFlatFields.end(), [&](const FlatField& f) {
      return text[static_cast<std::size_t>(f.field)].has_value();
    });
    if (!flat_sent) return std::optional<std::vector<Address>>();
    next = current;
    if (next.empty()) {
      Address primary;
      primary.id = 1;  // ids are within the contact's current list, which is empty
      next.push_back(std::move(primary));
    }
    for (const FlatField& flat : kFlatFields) {
      if (const auto& change = text[static_cast<std::size_t>(flat.field)]) {
        next.front().*flat.member = *change;
      }
    }
    if (IsEmpty(next.front())) next.erase(next.begin());
  }
  // The flat fields always read the first address.
  for (const FlatField& flat : kFlatFields) {
    text[static_cast<std::size_t>(flat.field)] =
        next.empty() ? std::optional<std::string>() : next.front().*flat.member;
  }
  if (next == current) return std::optional<std::vector<Address>>();
  return std::optional<std::vector<Address>>(std::move(next));
}

}  // namespace contactd::domain
