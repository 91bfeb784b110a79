#include "sdk/consent/state.h"

#include <array>
#include <utility>

namespace sealdesk::consent {
namespace {

constexpr std::array<std::pair<PurposeState, const char*>, 4> kStates = {{
    {PurposeState::unset, "unset"},
    {PurposeState::granted, "granted"},
    {PurposeState::denied, "denied"},
    {PurposeState::expired, "expired"},
}};

constexpr std::array<std::pair<Reason, const char*>, 9> kReasons = {{
    {Reason::none, "none"},
    {Reason::user, "user"},
    {Reason::dependency_revoked, "dependency_revoked"},
    {Reason::policy_changed, "policy_changed"},
    {Reason::purpose_removed, "purpose_removed"},
    {Reason::gpc, "global_privacy_control"},
    {Reason::gpc_cleared, "global_privacy_control_cleared"},
    {Reason::guardian_required, "guardian_required"},
    {Reason::expired, "expired"},
}};

}  // namespace

const char* state_name(PurposeState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "unset";
}

const char* reason_name(Reason reason) {
  for (const auto& [r, name] : kReasons) {
    if (r == reason) return name;
  }
  return "none";
}

std::optional<PurposeState> parse_state(std::string_view name) {
  for (const auto& [s, n] : kStates) {
    if (name == n) return s;
  }
  return std::nullopt;
}

std::optional<Reason> parse_reason(std::string_view name) {
  for (const auto& [r, n] : kReasons) {
    if (name == n) return r;
  }
  return std::nullopt;
}

}  // namespace sealdesk::consent
