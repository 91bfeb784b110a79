// Shared fixtures for the consent tests: the shipped default policy and locales, a fixed
// install key, and helpers to edit policy JSON.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/consent/engine.h"
#include "sdk/crypto/identity.h"

namespace sealdesk::consent::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string source_path(const std::string& relative) { return std::string(SEALDESK_SOURCE_DIR) + "/" + relative; }

// The shipped default policy names no controller and no privacy-policy URL (each site configures
// its own, SealDesk.create({ controller, privacyPolicyUrl })): tests add the example site's.
inline std::string default_policy_text() {
  nlohmann::json policy = nlohmann::json::parse(read_file(source_path("consent/policies/default.json")));
  policy.update(nlohmann::json::parse(read_file(source_path("tests/fixtures/site.json"))));
  return policy.dump(2);
}

inline std::vector<LocaleSource> default_locales() {
  std::vector<LocaleSource> out;
  for (const char* tag : {"en", "zh-CN", "zh-TW"}) {
    out.push_back({tag, read_file(source_path(std::string("consent/locales/") + tag + ".json"))});
  }
  return out;
}

inline nlohmann::json parse(const std::string& text) { return nlohmann::json::parse(text, nullptr, false); }
inline nlohmann::json default_policy() { return parse(default_policy_text()); }

// A fixed seed: receipts are deterministic, so native and WASM can be compared byte for byte.
inline std::array<uint8_t, 32> fixed_seed(uint8_t fill = 7) {
  std::array<uint8_t, 32> seed{};
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(fill + i);
  return seed;
}

inline crypto::IdentityKey fixed_key(uint8_t fill = 7) {
  auto key = crypto::IdentityKey::from_seed(fixed_seed(fill));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

inline ConsentEngine make_engine(const std::string& policy = default_policy_text(), uint8_t key_fill = 7) {
  auto engine = ConsentEngine::create(policy, default_locales(), fixed_key(key_fill));
  EXPECT_TRUE(engine.ok()) << engine.error().detail;
  return std::move(engine).value();
}

inline nlohmann::json& purpose_of(nlohmann::json& policy, const std::string& id) {
  for (auto& p : policy["purposes"]) {
    if (p["id"] == id) return p;
  }
  ADD_FAILURE() << "no purpose " << id;
  return policy["purposes"][0];
}

constexpr int64_t kT0 = 1'750'000'000'000;  // 2025-06-15T15:06:40Z
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

}  // namespace sealdesk::consent::testing
