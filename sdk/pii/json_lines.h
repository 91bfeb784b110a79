// The JSON form of a mask result, shared by the native CLI (sealdesk-mask) and the WASM
// binding, so both print the same bytes for the same input (the parity test checks it).
//
//   {"text":"手机[手机号]","findings":[{"type":"cn_mobile","start":2,"end":13,"style":"label",
//    "maskedStart":2,"maskedEnd":7}]}
//
// Serialised exactly as JavaScript's JSON.stringify would serialise the same object: keys in
// this order, no spaces, only '"' '\\' and control characters escaped (\b \f \n \r \t, others as
// \u00xx in lower case), everything else as raw UTF-8. "invalidUtf8" (the number of sequences
// replaced by U+FFFD) is present only when non-zero. Offsets are UTF-16 units by default.
#pragma once

#include <string>
#include <string_view>

#include "sdk/common/status.h"
#include "sdk/pii/masker.h"

namespace sealdesk::pii {

enum class OffsetUnit : uint8_t { utf16, bytes };

void append_result_json(std::string& out, const MaskResult& result, OffsetUnit unit = OffsetUnit::utf16);

// {"error":{"code":"TOO_LARGE","message":"..."}}
void append_error_json(std::string& out, Status status, std::string_view detail);

// The "text" member of one JSON Lines input object ({"text": "..."}; other members ignored).
// invalid_argument when the line is not such an object.
Result<std::string> text_of_json_line(std::string_view line);

// One line of sealdesk-mask: parse, mask, serialise (result or error object, no newline).
void mask_json_line(Masker& masker, std::string_view line, std::string& out, OffsetUnit unit = OffsetUnit::utf16);

}  // namespace sealdesk::pii
