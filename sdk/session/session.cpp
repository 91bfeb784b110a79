#include "sdk/session/session.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "sdk/crypto/hkdf.h"
#include "sdk/crypto/library.h"

namespace sealdesk::session {

using crypto::Direction;
using crypto::label_bytes;
using crypto::SecretBytes;

struct Session::PurposeKeys {
  std::string id;
  bool wiped = false;
  std::optional<crypto::MessageSender> sender;      // this side's direction
  std::optional<crypto::MessageReceiver> receiver;  // the peer's direction
  std::array<std::optional<crypto::FrameSealer>, kMaxTracks> sealers;
  std::array<std::optional<crypto::FrameOpener>, kMaxTracks> openers;
  // Call secrets per direction, from which export_call_frame_keys derives each call's keys (a
  // browser seals media frames in a transform worker of its own). No frame key is kept for export.
  SecretBytes<32> call_send;
  SecretBytes<32> call_receive;
  std::vector<std::pair<uint8_t, std::array<uint8_t, Session::kCallIdBytes>>> used_calls;  // (track, call id)

  // Destroying the holders wipes the keys (SecretBytes); nothing is kept to re-derive them.
  void wipe() {
    sender.reset();
    receiver.reset();
    for (auto& sealer : sealers) sealer.reset();
    for (auto& opener : openers) opener.reset();
    call_send.clear();
    call_receive.clear();
    wiped = true;
  }
};

struct Session::Keys {
  uint32_t epoch = 0;
  std::vector<std::string> purposes;
  std::vector<std::unique_ptr<PurposeKeys>> by_purpose;  // same order as purposes
};

namespace {

const std::vector<std::string> kNoPurposes;
const std::string kNoSafetyCode;

Direction own_direction(Role role) {
  return role == Role::customer ? Direction::customer_to_agent : Direction::agent_to_customer;
}
Direction peer_direction(Role role) {
  return role == Role::customer ? Direction::agent_to_customer : Direction::customer_to_agent;
}

Error ended_error() { return Error{Status::key_wiped, "the session has ended"}; }
Error no_epoch_error() { return Error{Status::unknown_key, "no session keys: the handshake has not completed"}; }

}  // namespace

uint64_t frame_key_id(uint32_t epoch, uint8_t purpose, Direction direction, uint8_t track) {
  return (uint64_t{epoch} << 24) | (uint64_t{purpose} << 16) | (uint64_t{static_cast<uint8_t>(direction)} << 15) |
         (uint64_t{static_cast<uint8_t>(track & 0x7F)} << 8);
}

Result<Session> Session::create_customer(std::span<const uint8_t> session_id, std::span<const uint8_t> pinned_agent_key) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  if (session_id.size() != crypto::kSessionIdBytes) return Error{Status::invalid_argument, "session id must be 16 bytes"};
  if (pinned_agent_key.size() != crypto::kIdentityPublicKeyBytes ||
      std::all_of(pinned_agent_key.begin(), pinned_agent_key.end(), [](uint8_t b) { return b == 0; })) {
    return Error{Status::invalid_argument, "the customer needs the agent desk's pinned 32-byte public key"};
  }
  Session session;
  session.role_ = Role::customer;
  std::copy(session_id.begin(), session_id.end(), session.session_id_.begin());
  session.session_id_known_ = true;
  std::copy(pinned_agent_key.begin(), pinned_agent_key.end(), session.pinned_peer_key_.begin());
  session.peer_key_pinned_ = true;
  return session;
}

Result<Session> Session::create_agent(std::span<const uint8_t> expected_customer_key) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  Session session;
  session.role_ = Role::agent;
  if (!expected_customer_key.empty()) {
    if (expected_customer_key.size() != crypto::kIdentityPublicKeyBytes) {
      return Error{Status::invalid_argument, "expected customer key must be 32 bytes"};
    }
    std::copy(expected_customer_key.begin(), expected_customer_key.end(), session.pinned_peer_key_.begin());
    session.peer_key_pinned_ = true;
  }
  return session;
}

Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;  // Keys and pending handshakes wipe themselves

Status Session::expect_peer(std::span<const uint8_t> customer_key) {
  if (role_ != Role::agent || customer_key.size() != crypto::kIdentityPublicKeyBytes) return Status::invalid_argument;
  if (peer_key_pinned_) {
    return std::equal(customer_key.begin(), customer_key.end(), pinned_peer_key_.begin()) ? Status::ok : Status::key_mismatch;
  }
  std::copy(customer_key.begin(), customer_key.end(), pinned_peer_key_.begin());
  peer_key_pinned_ = true;
  return Status::ok;
}

uint32_t Session::epoch() const { return keys_ ? keys_->epoch : 0; }
bool Session::established() const { return keys_ != nullptr; }
const std::vector<std::string>& Session::purposes() const { return keys_ ? keys_->purposes : kNoPurposes; }
const std::string& Session::safety_code() const { return keys_ ? safety_code_ : kNoSafetyCode; }
const crypto::IdentityPublicKey& Session::peer_identity() const { return peer_identity_; }

Result<uint8_t> Session::purpose_index(std::string_view purpose) const {
  if (keys_) {
    for (size_t i = 0; i < keys_->purposes.size(); ++i) {
      if (keys_->purposes[i] == purpose) return static_cast<uint8_t>(i);
    }
  }
  return Error{Status::not_found, "purpose '" + std::string(purpose) + "' has no keys in this epoch"};
}

bool Session::has_keys(std::string_view purpose) const {
  auto index = purpose_index(purpose);
  return index.ok() && !keys_->by_purpose[index.value()]->wiped;
}

Result<Session::PurposeKeys*> Session::usable_purpose(uint8_t purpose) {
  if (ended_) return ended_error();
  if (!keys_) return no_epoch_error();
  if (purpose >= keys_->by_purpose.size()) return Error{Status::not_found, "no purpose with index " + std::to_string(purpose)};
  PurposeKeys* keys = keys_->by_purpose[purpose].get();
  if (keys->wiped) return Error{Status::key_wiped, "the keys of purpose '" + keys->id + "' were wiped (consent revoked)"};
  return keys;
}

Result<Session::PurposeKeys*> Session::usable_purpose(std::string_view purpose) {
  if (ended_) return ended_error();
  if (!keys_) return no_epoch_error();
  auto index = purpose_index(purpose);
  if (!index.ok()) return index.error();
  return usable_purpose(index.value());
}

// --- handshake -------------------------------------------------------------------------------

Result<std::vector<uint8_t>> Session::begin_handshake(std::span<const std::string> purposes) {
  if (ended_) return ended_error();
  if (role_ != Role::customer) return Error{Status::invalid_argument, "only the customer starts a handshake"};
  uint32_t next_epoch = last_epoch_;
  if (customer_pending_) next_epoch = std::max(next_epoch, customer_pending_->epoch());
  if (next_epoch == UINT32_MAX) return Error{Status::too_large, "epoch counter exhausted"};
  ++next_epoch;
  std::vector<uint8_t> hello;
  auto started = CustomerHandshake::start(session_id_, next_epoch, pinned_peer_key_, purposes, hello);
  if (!started.ok()) return started.error();
  // Retire the current epoch now: whatever is sent from here on waits for the new epoch's keys.
  keys_.reset();
  revoked_while_pending_.clear();
  customer_pending_ = std::make_unique<CustomerHandshake>(std::move(started.value()));
  return hello;
}

Result<std::vector<uint8_t>> Session::handle_handshake(std::span<const uint8_t> message,
                                                       const crypto::IdentityKey& own_identity) {
  if (ended_) return ended_error();
  auto type = handshake_message_type(message);
  if (!type.ok()) return type.error();
  std::vector<uint8_t> response;

  if (role_ == Role::customer) {
    if (type.value() != HandshakeType::reply) return Error{Status::handshake_failed, "the customer expects an agent reply"};
    if (!customer_pending_) return Error{Status::handshake_failed, "no handshake in progress"};
    auto established = customer_pending_->finish(message, own_identity, response);
    if (!established.ok()) return established.error();  // the pending handshake stays: a forgery cannot cancel it
    if (Status s = install(established.value()); s != Status::ok) return s;
    customer_pending_.reset();
    return response;
  }

  if (type.value() == HandshakeType::hello) {
    auto accepted = AgentHandshake::accept(message, own_identity, response);
    if (!accepted.ok()) return accepted.error();
    if (session_id_known_ && accepted.value().session_id() != session_id_) {
      return Error{Status::handshake_failed, "hello for another session"};
    }
    if (accepted.value().epoch() <= last_epoch_) return Error{Status::handshake_failed, "hello for an epoch already used"};
    // The current epoch stays until the customer's finish proves the new one.
    agent_pending_ = std::make_unique<AgentHandshake>(std::move(accepted.value()));
    revoked_while_pending_.clear();
    return response;
  }
  if (type.value() == HandshakeType::finish) {
    if (!agent_pending_) return Error{Status::handshake_failed, "no handshake in progress"};
    auto established = agent_pending_->finish(message);
    if (!established.ok()) return established.error();
    if (peer_key_pinned_ && established.value().peer_identity != pinned_peer_key_) {
      return Error{Status::key_mismatch, "the customer's identity key differs from the one this session knows"};
    }
    if (Status s = install(established.value()); s != Status::ok) return s;
    agent_pending_.reset();
    return response;
  }
  return Error{Status::handshake_failed, "the agent expects a hello or a finish"};
}

Status Session::install(EstablishedEpoch& established) {
  auto keys = std::make_unique<Keys>();
  keys->epoch = established.epoch;
  keys->purposes = established.purposes;
  const Direction own = own_direction(role_);
  for (size_t i = 0; i < established.purposes.size(); ++i) {
    auto purpose = std::make_unique<PurposeKeys>();
    purpose->id = established.purposes[i];
    const auto index = static_cast<uint8_t>(i);
    const uint8_t id_length = static_cast<uint8_t>(purpose->id.size());
    const std::span<const uint8_t> id_bytes(reinterpret_cast<const uint8_t*>(purpose->id.data()), purpose->id.size());
    for (Direction direction : {Direction::customer_to_agent, Direction::agent_to_customer}) {
      const auto direction_byte = static_cast<uint8_t>(direction);
      SecretBytes<32> purpose_secret;  // HKDF-Expand(master, "SealDesk/1 purpose" || index || len || id || direction)
      if (Status s = crypto::hkdf_sha256_expand(purpose_secret.span(), established.master.span(),
                                                {label_bytes("SealDesk/1 purpose"), {&index, 1}, {&id_length, 1}, id_bytes,
                                                 {&direction_byte, 1}});
          s != Status::ok) {
        return s;
      }
      SecretBytes<32> chain_key;
      if (Status s = crypto::hkdf_sha256_expand(chain_key.span(), purpose_secret.span(), {label_bytes("SealDesk/1 message chain")});
          s != Status::ok) {
        return s;
      }
      auto& call_secret = direction == own ? purpose->call_send : purpose->call_receive;
      if (Status s = crypto::hkdf_sha256_expand(call_secret.span(), purpose_secret.span(), {label_bytes("SealDesk/1 call frames")});
          s != Status::ok) {
        return s;
      }
      const crypto::ChainContext context{established.session_id, established.epoch, index, direction};
      if (direction == own) {
        purpose->sender.emplace(context, chain_key.span());
      } else {
        purpose->receiver.emplace(context, chain_key.span());
      }
      for (uint8_t track = 0; track < kMaxTracks; ++track) {
        SecretBytes<32> base_key;
        if (Status s = crypto::hkdf_sha256_expand(base_key.span(), purpose_secret.span(),
                                                  {label_bytes("SealDesk/1 frame sender"), {&track, 1}});
            s != Status::ok) {
          return s;
        }
        const uint64_t key_id = frame_key_id(established.epoch, index, direction, track);
        if (direction == own) {
          auto sealer = crypto::FrameSealer::create(key_id, base_key.span());
          if (!sealer.ok()) return sealer.status();
          purpose->sealers[track].emplace(std::move(sealer.value()));
        } else {
          auto opener = crypto::FrameOpener::create(key_id, base_key.span());
          if (!opener.ok()) return opener.status();
          purpose->openers[track].emplace(std::move(opener.value()));
        }
      }
    }
    keys->by_purpose.push_back(std::move(purpose));
  }
  established.master.clear();  // nothing can re-derive a wiped purpose's keys

  keys_ = std::move(keys);  // the previous epoch's keys are destroyed, and so wiped, here
  last_epoch_ = established.epoch;
  session_id_ = established.session_id;
  session_id_known_ = true;
  peer_identity_ = established.peer_identity;
  if (role_ == Role::agent) {  // later epochs must come from the same customer
    pinned_peer_key_ = established.peer_identity;
    peer_key_pinned_ = true;
  }
  safety_code_ = established.safety_code;
  for (const std::string& revoked : revoked_while_pending_) wipe_purpose(revoked);
  revoked_while_pending_.clear();
  return Status::ok;
}

// --- messages --------------------------------------------------------------------------------

Result<size_t> Session::seal_message(std::string_view purpose, std::span<const uint8_t> plaintext, std::span<uint8_t> out) {
  auto keys = usable_purpose(purpose);
  if (!keys.ok()) return keys.error();
  return keys.value()->sender->seal(plaintext, out);
}

Result<OpenedRecord> Session::open_message(std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  if (ended_) return ended_error();
  if (!keys_) return no_epoch_error();
  auto header = crypto::parse_record_header(sealed);
  if (!header.ok()) return header.error();
  if (header.value().session_id != session_id_) return Error{Status::unknown_key, "record for another session"};
  if (header.value().epoch != keys_->epoch) {
    return Error{Status::unknown_key, "record from epoch " + std::to_string(header.value().epoch) + "; the current epoch is " +
                                          std::to_string(keys_->epoch)};
  }
  auto keys = usable_purpose(header.value().purpose);
  if (!keys.ok()) return keys.error();
  auto opened = keys.value()->receiver->open(sealed, out);
  if (!opened.ok()) return opened.error();
  return OpenedRecord{opened.value(), header.value().purpose, header.value().counter};
}

// --- attachments -----------------------------------------------------------------------------

namespace {
Status attachment_key(SecretBytes<32>& out, std::span<const uint8_t, crypto::kMessageKeyBytes> record_key) {
  return crypto::hkdf_sha256_expand(out.span(), record_key, {label_bytes("SealDesk/1 attachment")});
}
}  // namespace

Result<size_t> Session::seal_attachment(std::string_view purpose, std::span<const uint8_t> plaintext,
                                        std::span<uint8_t> out, crypto::AttachmentProgress progress) {
  auto keys = usable_purpose(purpose);
  if (!keys.ok()) return keys.error();
  if (plaintext.size() > crypto::kMaxAttachmentBytes) return Error{Status::too_large, "attachment over 256 MiB"};
  const size_t needed = sealed_attachment_bytes(plaintext.size());
  if (out.size() < needed) return Error{Status::buffer_too_small, "sealed attachment needs " + std::to_string(needed) + " bytes"};
  SecretBytes<crypto::kMessageKeyBytes> record_key;
  auto header = out.first<crypto::kRecordHeaderBytes>();
  if (Status s = keys.value()->sender->next_record(crypto::RecordType::attachment, header, record_key); s != Status::ok) {
    return s;
  }
  SecretBytes<32> key;
  if (Status s = attachment_key(key, record_key.span()); s != Status::ok) return s;
  auto sealed = crypto::seal_attachment(key.span(), header, plaintext, out.subspan(crypto::kRecordHeaderBytes), progress);
  if (!sealed.ok()) return sealed.error();
  return crypto::kRecordHeaderBytes + sealed.value();
}

Result<OpenedRecord> Session::open_attachment(std::span<const uint8_t> sealed, std::span<uint8_t> out,
                                              crypto::AttachmentProgress progress) {
  if (ended_) return ended_error();
  if (!keys_) return no_epoch_error();
  auto header = crypto::parse_record_header(sealed);
  if (!header.ok()) return header.error();
  if (header.value().type != crypto::RecordType::attachment) return Error{Status::malformed, "record is not an attachment"};
  if (header.value().session_id != session_id_ || header.value().epoch != keys_->epoch) {
    return Error{Status::unknown_key, "attachment from another session or epoch"};
  }
  auto keys = usable_purpose(header.value().purpose);
  if (!keys.ok()) return keys.error();
  const auto header_bytes = sealed.first(crypto::kRecordHeaderBytes);
  Error failure;
  size_t length = 0;
  auto try_key = [&](std::span<const uint8_t, crypto::kMessageKeyBytes> record_key) -> Status {
    SecretBytes<32> key;
    if (Status s = attachment_key(key, record_key); s != Status::ok) return s;
    auto opened = crypto::open_attachment(key.span(), header_bytes, sealed.subspan(crypto::kRecordHeaderBytes), out, progress);
    if (!opened.ok()) {
      failure = opened.error();
      return failure.status;
    }
    length = opened.value();
    return Status::ok;
  };
  Status s = keys.value()->receiver->open_record(header.value(), try_key);
  if (s != Status::ok) {
    if (failure.status == s) return failure;
    return Error{s, s == Status::replayed ? "attachment already opened" : "attachment counter not accepted"};
  }
  return OpenedRecord{length, header.value().purpose, header.value().counter};
}

// --- frames ----------------------------------------------------------------------------------

Result<size_t> Session::seal_frame(uint8_t purpose, uint8_t track, crypto::FrameCodec codec, std::span<const uint8_t> frame,
                                   std::span<uint8_t> out) {
  if (track >= kMaxTracks) return Error{Status::invalid_argument, "track must be 0 to 3"};
  auto keys = usable_purpose(purpose);
  if (!keys.ok()) return keys.error();
  return keys.value()->sealers[track]->seal(codec, frame, out);
}

Result<OpenedFrame> Session::open_frame(crypto::FrameCodec codec, std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  if (ended_) return ended_error();
  if (!keys_) return no_epoch_error();
  auto key_id = crypto::peek_frame_key_id(codec, sealed);
  if (!key_id.ok()) return key_id.error();
  const uint64_t kid = key_id.value();
  const auto epoch = static_cast<uint32_t>(kid >> 24);
  const auto purpose = static_cast<uint8_t>(kid >> 16);
  const auto direction = static_cast<uint8_t>((kid >> 15) & 1);
  const auto track = static_cast<uint8_t>((kid >> 8) & 0x7F);
  if ((kid >> 56) != 0 || epoch != keys_->epoch) return Error{Status::unknown_key, "frame from another epoch"};
  if (direction != static_cast<uint8_t>(peer_direction(role_)) || track >= kMaxTracks) {
    return Error{Status::unknown_key, "frame key id names no remote sender"};
  }
  auto keys = usable_purpose(purpose);
  if (!keys.ok()) return keys.error();
  auto opened = keys.value()->openers[track]->open(codec, sealed, out);
  if (!opened.ok()) return opened.error();
  return OpenedFrame{opened.value(), purpose, track};
}

Status Session::rotate_frame_key(uint8_t purpose, uint8_t track) {
  if (track >= kMaxTracks) return Status::invalid_argument;
  auto keys = usable_purpose(purpose);
  if (!keys.ok()) return keys.status();
  return keys.value()->sealers[track]->rotate();
}

// --- lifecycle -------------------------------------------------------------------------------

Result<FrameKeyExport> Session::export_call_frame_keys(std::string_view purpose, uint8_t track,
                                                       std::span<const uint8_t, kCallIdBytes> call_id,
                                                       std::span<uint8_t, 32> send_base_key,
                                                       std::span<uint8_t, 32> receive_base_key) {
  if (track >= kMaxTracks) return Error{Status::invalid_argument, "track must be below " + std::to_string(kMaxTracks)};
  if (std::all_of(call_id.begin(), call_id.end(), [](uint8_t b) { return b == 0; })) {
    return Error{Status::invalid_argument, "a call id is 16 random bytes, not zeros"};
  }
  auto index = purpose_index(purpose);
  if (!index.ok()) return index.error();
  auto keys = usable_purpose(index.value());
  if (!keys.ok()) return keys.error();
  PurposeKeys& held = *keys.value();
  std::array<uint8_t, kCallIdBytes> id{};
  std::copy(call_id.begin(), call_id.end(), id.begin());
  for (const auto& used : held.used_calls) {
    if (used.first == track && used.second == id) {
      return Error{Status::replayed, "this call id already has keys in this epoch: a call never reuses a frame key"};
    }
  }
  // HKDF-Expand(call secret, "SealDesk/1 call" || call id || track), one per direction.
  SecretBytes<32> send, receive;
  for (auto [secret, out] : {std::pair{&held.call_send, &send}, std::pair{&held.call_receive, &receive}}) {
    if (Status s = crypto::hkdf_sha256_expand(out->span(), secret->span(), {label_bytes("SealDesk/1 call"), call_id, {&track, 1}});
        s != Status::ok) {
      return s;
    }
  }
  held.used_calls.emplace_back(track, id);
  std::copy(send.span().begin(), send.span().end(), send_base_key.begin());
  std::copy(receive.span().begin(), receive.span().end(), receive_base_key.begin());
  return FrameKeyExport{frame_key_id(keys_->epoch, index.value(), own_direction(role_), track),
                        frame_key_id(keys_->epoch, index.value(), peer_direction(role_), track)};
}

Status Session::wipe_purpose(std::string_view purpose) {
  if (keys_) {
    for (auto& keys : keys_->by_purpose) {
      if (keys->id == purpose) keys->wipe();
    }
  }
  const std::vector<std::string>* pending = nullptr;
  if (customer_pending_) pending = &customer_pending_->purposes();
  if (agent_pending_) pending = &agent_pending_->purposes();
  if (pending != nullptr && std::find(pending->begin(), pending->end(), purpose) != pending->end()) {
    revoked_while_pending_.emplace_back(purpose);
  }
  return Status::ok;
}

void Session::end() {
  keys_.reset();
  customer_pending_.reset();
  agent_pending_.reset();
  revoked_while_pending_.clear();
  safety_code_.clear();
  ended_ = true;
}

}  // namespace sealdesk::session
