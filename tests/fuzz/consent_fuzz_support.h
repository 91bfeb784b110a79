// Fixtures for the consent fuzz targets: the shipped policy and locales, found from this
// file's own path (fuzzers are built from the source tree and get no SEALDESK_SOURCE_DIR).
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/consent/engine.h"
#include "sdk/consent/locale.h"
#include "sdk/crypto/identity.h"

namespace sealdesk::consent::fuzzing {

inline std::string repo_file(const std::string& relative) {
  std::string root = __FILE__;
  root = root.substr(0, root.rfind("/tests/fuzz/"));
  std::ifstream in(root + "/" + relative, std::ios::binary);
  if (!in) std::abort();  // a fuzzer without its fixtures would fuzz nothing
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const std::string& default_policy() {
  // The shipped policy names no controller (each site configures its own): the example site's.
  static const std::string text = [] {
    nlohmann::json policy = nlohmann::json::parse(repo_file("consent/policies/default.json"));
    policy.update(nlohmann::json::parse(repo_file("tests/fixtures/site.json")));
    return policy.dump(2);
  }();
  return text;
}

inline const std::vector<LocaleSource>& default_locales() {
  static const std::vector<LocaleSource> locales = {
      {"en", repo_file("consent/locales/en.json")},
      {"zh-CN", repo_file("consent/locales/zh-CN.json")},
      {"zh-TW", repo_file("consent/locales/zh-TW.json")},
  };
  return locales;
}

// An engine on the shipped policy and texts, with a fixed install key (its seed: 32 x seed_fill).
inline ConsentEngine make_engine(uint8_t seed_fill = 3) {
  std::array<uint8_t, 32> seed{};
  seed.fill(seed_fill);
  auto engine = ConsentEngine::create(default_policy(), default_locales(), std::move(crypto::IdentityKey::from_seed(seed)).value());
  if (!engine.ok()) std::abort();
  return std::move(engine).value();
}

}  // namespace sealdesk::consent::fuzzing
