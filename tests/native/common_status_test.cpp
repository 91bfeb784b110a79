#include "sdk/common/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sealdesk {
namespace {

TEST(Status, NamesAreStableUpperCaseAndUnique) {
  EXPECT_STREQ(status_name(Status::consent_required), "CONSENT_REQUIRED");
  EXPECT_STREQ(status_name(Status::auth_failed), "AUTH_FAILED");
  EXPECT_STREQ(status_name(Status::consent_gap), "CONSENT_GAP");
  EXPECT_STREQ(status_name(Status::session_not_ready), "SESSION_NOT_READY");
  std::set<std::string> seen;
  for (int32_t code = 0; code < 1000; ++code) {
    const std::string name = status_name(static_cast<Status>(code));
    if (name == "UNKNOWN_STATUS") continue;
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    for (char c : name) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') << name;
  }
  EXPECT_GT(seen.size(), 30u);
}

// Policy declarations (issue 21) have their own codes at the end of the consent group.
TEST(Status, PolicyDeclarationCodesFollowTheConsentGroup) {
  EXPECT_EQ(static_cast<int32_t>(Status::training_not_opt_in), 313);
  EXPECT_EQ(static_cast<int32_t>(Status::voiceprint_not_biometric), 314);
  EXPECT_EQ(static_cast<int32_t>(Status::processor_missing), 315);
  EXPECT_STREQ(status_name(Status::training_not_opt_in), "TRAINING_NOT_OPT_IN");
  EXPECT_STREQ(status_name(Status::voiceprint_not_biometric), "VOICEPRINT_NOT_BIOMETRIC");
  EXPECT_STREQ(status_name(Status::processor_missing), "PROCESSOR_MISSING");
  EXPECT_STRNE(status_message(Status::processor_missing), status_message(Status::internal));
}

TEST(Status, ResultCarriesValueOrError) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 7);
  EXPECT_EQ(good.status(), Status::ok);
  Result<int> bad(Status::too_large, "message over 1 MiB");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status(), Status::too_large);
  EXPECT_EQ(bad.error().detail, "message over 1 MiB");
}

}  // namespace
}  // namespace sealdesk
