// Fuzzes the policy parser and validator, the locale parser, ISO 8601 durations and the
// canonical JSON serializer: any input must give a value or a typed error, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"
#include "sdk/consent/duration.h"
#include "sdk/consent/locale.h"
#include "sdk/consent/policy.h"
#include "tests/fuzz/consent_fuzz_support.h"

using namespace sealdesk;
using namespace sealdesk::consent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto policy = parse_policy(text);
  if (policy.ok()) {
    // A valid policy must have a complete dependency order and canonical terms.
    if (policy.value().dependency_order.size() != policy.value().purposes.size()) std::abort();
    for (const Purpose& p : policy.value().purposes) {
      if (p.terms_canonical.empty() || p.validity_duration.is_zero()) std::abort();
    }
    (void)LocaleCatalog::create({fuzzing::default_locales()[0]}, policy.value());
  } else if (policy.error().detail.empty()) {
    std::abort();  // every rejection names what was wrong
  }

  // The same bytes as a locale file for the default policy (when they look like one).
  if (!text.empty() && text.front() == '{' && text.find("\"texts\"") != std::string_view::npos) {
    static const Policy shipped = parse_policy(fuzzing::default_policy()).value();
    auto catalog = LocaleCatalog::create({fuzzing::default_locales()[0], {"zh-CN", std::string(text)}}, shipped);
    if (catalog.ok()) (void)catalog.value().resolve("zh-CN");
  }

  if (auto d = parse_iso_duration(text.substr(0, 64))) (void)add_duration(static_cast<int64_t>(size) * 1000, *d);

  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (!doc.is_discarded()) {
    auto canonical = canonical_json(doc);
    if (canonical.ok()) {
      // Canonical form is a fixed point.
      const auto again = canonical_json(nlohmann::json::parse(canonical.value(), nullptr, false));
      if (!again.ok() || again.value() != canonical.value()) std::abort();
    }
  }
  return 0;
}
