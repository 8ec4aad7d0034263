#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::domain {

// The text changes of a write, by TextField (see ContactChanges::text).
using TextChanges = std::array<std::optional<std::optional<std::string>>, kTextFieldCount>;

// Checks one address a client sent, named `path` in errors ("address", "addresses[2]"): each
// member one line of at most 255 characters, country_code an ISO code, phone a phone number under
// the policy. The id stays as sent.
Address ValidateAddress(const AddressInput& input, const std::string& path,
                        const WritePolicy& policy, FieldErrors& errors);

// Checks the addresses a client sent under "addresses": at most kMaxAddressesPerContact, each
// member one line of at most 255 characters, country_code an ISO code, phone a phone number under
// the policy. Ids stay as sent (PlanAddresses checks them against the stored list).
std::vector<Address> ValidateAddresses(const std::vector<AddressInput>& input,
                                       const WritePolicy& policy, FieldErrors& errors);

// `current` with its first address changed member by member: a member of `sent` that was sent
// takes its value in `validated` (ValidateAddress of it; null clears it), the others stay; a null
// `sent` removes the first address. A first address left empty is dropped; a new one has id 0
// (PlanAddresses gives it one).
std::vector<Address> MergeFirstAddress(const std::vector<Address>& current,
                                       const Input<AddressInput>& sent, const Address& validated);

// The addresses after a write to a contact holding `current` (empty for a new contact), and the
// flat fields that follow from them, written into `text`:
// - `sent` (a validated list) replaces the list: an address whose id is one of `current` keeps
//   it, others get new ids; an id that is not one of `current`, or is repeated, is an error;
// - else the flat fields (address, city, state, zip) sent in `text` change the first address
//   (created when there is none; dropped when nothing is left in it).
// Returns nullopt when the list does not change; kValidation naming the field otherwise wrong.
Result<std::optional<std::vector<Address>>> PlanAddresses(
    const std::vector<Address>& current, const std::optional<std::vector<Address>>& sent,
    TextChanges& text);

}  // namespace contactd::domain
