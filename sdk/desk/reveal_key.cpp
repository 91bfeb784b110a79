#include "sdk/desk/reveal_key.h"

#include "sdk/crypto/sealed_box.h"

namespace sealdesk::desk {

Result<RevealKey> RevealKey::generate() {
  RevealKey key;
  if (Status s = crypto::sealed_box_keypair(key.public_key_, key.secret_key_.span()); s != Status::ok) return s;
  return key;
}

Result<pii::RevealedValue> RevealKey::open(std::string_view token) const {
  if (wiped_) return Error{Status::key_wiped, "the reveal key was wiped (consent withdrawn or conversation over)"};
  return pii::open_reveal_token(token, public_key_, secret_key_.span());
}

void RevealKey::wipe() {
  secret_key_.clear();
  wiped_ = true;
}

}  // namespace sealdesk::desk
