// Per-purpose consent states and the reasons a state changed, with their stable JSON names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sealdesk::consent {

enum class PurposeState : uint8_t { unset, granted, denied, expired };

enum class Reason : uint8_t {
  none,                // never decided
  user,                // the person (or their guardian) decided
  dependency_revoked,  // denied because a purpose it depends on was denied
  policy_changed,      // back to unset: the purpose's terms or text changed (PIPL Art. 14)
  purpose_removed,     // the new policy no longer has the purpose
  gpc,                 // denied without a prompt: the page reports Global Privacy Control
  gpc_cleared,         // back to unset: Global Privacy Control is no longer reported
  guardian_required,   // back to unset: a minor's grant lacked a guardian's confirmation
  expired,             // older than the purpose's validity: asked again
};

const char* state_name(PurposeState state);  // "unset" | "granted" | "denied" | "expired"
const char* reason_name(Reason reason);      // "user", "dependency_revoked", "global_privacy_control", ...
std::optional<PurposeState> parse_state(std::string_view name);
std::optional<Reason> parse_reason(std::string_view name);

// One purpose's state change, returned by every call that changes state. The JS layer stops the
// purpose's tracks and wipes its keys when `from` was granted and `to` is not.
struct Change {
  std::string purpose;
  PurposeState from = PurposeState::unset;
  PurposeState to = PurposeState::unset;
  Reason reason = Reason::none;

  bool revokes() const { return from == PurposeState::granted && to != PurposeState::granted; }
  friend bool operator==(const Change&, const Change&) = default;
};
using Changes = std::vector<Change>;

}  // namespace sealdesk::consent
