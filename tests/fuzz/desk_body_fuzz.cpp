// Feeds record plaintexts (what an authenticated but buggy or hostile peer could seal) through
// the body decoder and the consent gate, and checks what must always hold:
//   - nothing crashes; refusals are malformed or too_large;
//   - an accepted body re-decodes to itself (normalisation is a fixed point) and re-encodes;
//   - once the gate is closed it stays closed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sdk/desk/record_body.h"

using namespace sealdesk;
using namespace sealdesk::desk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ConsentGate gate;
  auto body = decode_body({data, size}, 1000);
  if (!body.ok()) {
    if (body.status() != Status::malformed && body.status() != Status::too_large) std::abort();
    return 0;
  }
  const std::string& json = body.value().json;
  auto again = decode_body({reinterpret_cast<const uint8_t*>(json.data()), json.size()}, 2000);
  if (!again.ok() || again.value().json != json || again.value().type != body.value().type) std::abort();
  if (!encode_body(json, body.value().consent_seq + 1).ok()) std::abort();
  const bool was_closed = gate.closed();
  (void)gate.admit(body.value().type, body.value().consent_seq);
  (void)gate.admit(BodyType::text, body.value().consent_seq + (size % 3));
  if (was_closed && !gate.closed()) std::abort();
  if (gate.closed() && gate.admit(BodyType::consent, gate.last() + 1) != Status::consent_gap) std::abort();
  return 0;
}
