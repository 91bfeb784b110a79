// Feeds relay payloads, as a hostile peer or relay would send them, through the payload decoder,
// the part assembler and the attachment plaintext decoder, and checks what must always hold:
//   - nothing crashes, and every refusal is a typed status;
//   - the assembler never buffers more than its limit, nor more attachments than allowed;
//   - a completed attachment is exactly the concatenation of its parts' bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "sdk/desk/payload.h"

using namespace sealdesk;
using namespace sealdesk::desk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Input: a sequence of (u16 length | payload) records, each one relay payload; a time step each.
  PartAssembler assembler(PartAssembler::Limits{2, 3 * kPartBytes, 50});
  uint64_t now = 0;
  size_t at = 0;
  while (at + 2 <= size) {
    const size_t len = std::min<size_t>((data[at] << 8) | data[at + 1], size - at - 2);
    const std::span<const uint8_t> payload(data + at + 2, len);
    at += 2 + len;
    now += payload.empty() ? 0 : payload[payload.size() - 1] % 32;
    auto decoded = decode_payload(payload);
    if (!decoded.ok()) {
      if (decoded.status() != Status::malformed) std::abort();
      continue;
    }
    if (decoded.value().kind != PayloadKind::part) {
      (void)decode_attachment(decoded.value().bytes, 0);  // also as an attachment plaintext
      continue;
    }
    auto added = assembler.add(decoded.value(), now);
    if (assembler.buffered_bytes() > 3 * kPartBytes || assembler.pending() > 2) std::abort();
    if (added.ok() && added.value()) {
      const auto whole = assembler.take();
      if (whole.size() > kMaxAttachmentBytes) std::abort();
      (void)decode_attachment(whole, 0);
    }
  }
  return 0;
}
