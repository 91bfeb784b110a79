// The JSON form shared by sealdesk-mask and the WASM binding, and the CLI itself.
#include "sdk/pii/json_lines.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sealdesk::pii {
namespace {

std::string line_for(std::string_view input_line, std::string_view config = {}) {
  auto m = Masker::create(config);
  EXPECT_TRUE(m.ok());
  std::string out;
  mask_json_line(m.value(), input_line, out);
  return out;
}

TEST(PiiJsonLines, ResultIsSerialisedLikeJsonStringify) {
  // What JSON.stringify({text, findings}) prints in JavaScript for the same object.
  EXPECT_EQ(line_for(R"({"text":"手机13800138000"})"),
            R"({"text":"手机[手机号]","findings":[{"type":"cn_mobile","start":2,"end":13,"style":"label","maskedStart":2,"maskedEnd":7}]})");
  EXPECT_EQ(line_for(R"({"text":"a\"b\\c\n\t\u0001\u007f\u2028😀"})"),
            "{\"text\":\"a\\\"b\\\\c\\n\\t\\u0001\x7f\xE2\x80\xA8😀\",\"findings\":[]}");
  EXPECT_EQ(line_for(R"({"text":""})"), R"({"text":"","findings":[]})");
}

TEST(PiiJsonLines, OtherMembersOfTheInputAreIgnored) {
  EXPECT_EQ(line_for(R"({"id":7,"text":"ok","entities":[]})"), R"({"text":"ok","findings":[]})");
}

TEST(PiiJsonLines, BadLinesBecomeErrorObjects) {
  EXPECT_EQ(line_for("not json"),
            R"({"error":{"code":"INVALID_ARGUMENT","message":"invalid argument: line is not a JSON object"}})");
  EXPECT_EQ(line_for(R"({"text":5})"),
            R"({"error":{"code":"INVALID_ARGUMENT","message":"invalid argument: line has no string member \"text\""}})");
  EXPECT_EQ(line_for(""), R"({"error":{"code":"INVALID_ARGUMENT","message":"invalid argument: line is not a JSON object"}})");
}

TEST(PiiJsonLines, ByteOffsetsOnRequest) {
  auto m = Masker::create("");
  ASSERT_TRUE(m.ok());
  std::string out;
  mask_json_line(m.value(), R"({"text":"手机13800138000"})", out, OffsetUnit::bytes);
  EXPECT_NE(out.find(R"("start":6,"end":17)"), std::string::npos) << out;
}

TEST(PiiJsonLines, InvalidUtf8CountAppearsOnlyWhenNonZero) {
  auto m = Masker::create("");
  ASSERT_TRUE(m.ok());
  MaskResult r;
  ASSERT_EQ(m.value().mask("a\xFF", r), Status::ok);
  std::string out;
  append_result_json(out, r);
  EXPECT_EQ(out, "{\"text\":\"a\xEF\xBF\xBD\",\"findings\":[],\"invalidUtf8\":1}");
}

// ---- the sealdesk-mask executable ----------------------------------------------------------

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  output += "\nexit=" + std::to_string(WEXITSTATUS(status));
  return output;
}

class PiiCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* build = std::getenv("SEALDESK_BUILD_DIR");
    if (build == nullptr) GTEST_SKIP() << "SEALDESK_BUILD_DIR not set (run through ctest)";
    cli_ = std::string(build) + "/sealdesk-mask";
    dir_ = ::testing::TempDir();
  }
  std::string write(const std::string& name, const std::string& content) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string cli_;
  std::string dir_;
};

TEST_F(PiiCli, WritesOneLinePerInputLineInOrder) {
  const std::string in = write("in.jsonl", "{\"text\":\"手机13800138000\"}\nbroken\n{\"text\":\"卡4111111111111111\"}\r\n");
  const std::string out = run(cli_ + " < " + in);
  EXPECT_EQ(out,
            "{\"text\":\"手机[手机号]\",\"findings\":[{\"type\":\"cn_mobile\",\"start\":2,\"end\":13,\"style\":\"label\","
            "\"maskedStart\":2,\"maskedEnd\":7}]}\n"
            "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"invalid argument: line is not a JSON object\"}}\n"
            "{\"text\":\"卡[银行卡号]\",\"findings\":[{\"type\":\"bank_card\",\"start\":1,\"end\":17,\"style\":\"label\","
            "\"maskedStart\":1,\"maskedEnd\":7}]}\n"
            "\nexit=0");
}

TEST_F(PiiCli, ReadsItsConfigFromAFile) {
  const std::string in = write("in2.jsonl", "{\"text\":\"phone 13800138000\"}\n");
  const std::string config = write("config.json", R"({"locale":"en","styles":{"cn_mobile":"partial"}})");
  EXPECT_EQ(run(cli_ + " --config " + config + " --offsets bytes < " + in),
            "{\"text\":\"phone 138****8000\",\"findings\":[{\"type\":\"cn_mobile\",\"start\":6,\"end\":17,"
            "\"style\":\"partial\",\"maskedStart\":6,\"maskedEnd\":17}]}\n\nexit=0");
}

TEST_F(PiiCli, BadConfigOrArgumentsExitWithTwo) {
  const std::string in = write("in3.jsonl", "{\"text\":\"x\"}\n");
  const std::string config = write("bad.json", R"({"style":"blur"})");
  EXPECT_NE(run(cli_ + " --config " + config + " < " + in + " 2>/dev/null").find("exit=2"), std::string::npos);
  EXPECT_NE(run(cli_ + " --offsets km < " + in + " 2>/dev/null").find("exit=2"), std::string::npos);
  EXPECT_NE(run(cli_ + " --config /nonexistent < " + in + " 2>/dev/null").find("exit=2"), std::string::npos);
}

}  // namespace
}  // namespace sealdesk::pii
