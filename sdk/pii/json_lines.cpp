#include "sdk/pii/json_lines.h"

#include <nlohmann/json.hpp>

#include "sdk/crypto/library.h"

namespace sealdesk::pii {
namespace {

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.substr(run));
  out.push_back('"');
}

void append_member(std::string& out, std::string_view key, uint32_t value) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
  out.append(std::to_string(value));
}

}  // namespace

void append_result_json(std::string& out, const MaskResult& result, OffsetUnit unit) {
  const bool utf16 = unit == OffsetUnit::utf16;
  out.append("{\"text\":");
  append_string(out, result.text);
  out.append(",\"findings\":[");
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    if (i > 0) out.push_back(',');
    out.append("{\"type\":");
    append_string(out, f.type);
    out.push_back(',');
    append_member(out, "start", utf16 ? f.start_utf16 : f.start);
    out.push_back(',');
    append_member(out, "end", utf16 ? f.end_utf16 : f.end);
    out.append(",\"style\":");
    append_string(out, style_name(f.style));
    out.push_back(',');
    append_member(out, "maskedStart", utf16 ? f.masked_start_utf16 : f.masked_start);
    out.push_back(',');
    append_member(out, "maskedEnd", utf16 ? f.masked_end_utf16 : f.masked_end);
    out.push_back('}');
  }
  out.push_back(']');
  if (result.invalid_utf8_sequences > 0) {
    out.push_back(',');
    append_member(out, "invalidUtf8", result.invalid_utf8_sequences);
  }
  out.push_back('}');
}

void append_error_json(std::string& out, Status status, std::string_view detail) {
  out.append("{\"error\":{\"code\":");
  append_string(out, status_name(status));
  out.append(",\"message\":");
  std::string message = status_message(status);
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  append_string(out, message);
  out.append("}}");
}

Result<std::string> text_of_json_line(std::string_view line) {
  const nlohmann::json root = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Error{Status::invalid_argument, "line is not a JSON object"};
  }
  auto text = root.find("text");
  if (text == root.end() || !text->is_string()) {
    return Error{Status::invalid_argument, "line has no string member \"text\""};
  }
  return text->get<std::string>();
}

void mask_json_line(Masker& masker, std::string_view line, std::string& out, OffsetUnit unit) {
  auto text = text_of_json_line(line);
  if (!text.ok()) {
    append_error_json(out, text.status(), text.error().detail);
    return;
  }
  MaskResult result;
  const Status s = masker.mask(text.value(), result);
  crypto::wipe(text.value().data(), text.value().size());
  if (s != Status::ok) {
    append_error_json(out, s, {});
    return;
  }
  append_result_json(out, result, unit);
}

}  // namespace sealdesk::pii
