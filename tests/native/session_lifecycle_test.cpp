#include "sdk/session/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sealdesk::session {
namespace {

using crypto::FrameCodec;
using crypto::IdentityKey;

const std::vector<std::string> kPurposes = {"chat", "voice", "camera", "screen_share"};

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

SessionId session_id() {
  SessionId id{};
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(0xA0 + i);
  return id;
}

// The agent desk's pinned identity and the customer's per-install identity.
struct Desk {
  IdentityKey desk_identity = IdentityKey::generate().value();
  IdentityKey customer_identity = IdentityKey::generate().value();
  Session customer = Session::create_customer(session_id(), desk_identity.public_key()).value();

  // Runs the handshake for the next epoch between the customer and agent.
  void handshake(Session& agent, const std::vector<std::string>& purposes = kPurposes) {
    auto hello = customer.begin_handshake(purposes);
    ASSERT_TRUE(hello.ok()) << hello.error().detail;
    auto reply = agent.handle_handshake(hello.value(), desk_identity);
    ASSERT_TRUE(reply.ok()) << reply.error().detail;
    auto finish = customer.handle_handshake(reply.value(), customer_identity);
    ASSERT_TRUE(finish.ok()) << finish.error().detail;
    auto done = agent.handle_handshake(finish.value(), desk_identity);
    ASSERT_TRUE(done.ok()) << done.error().detail;
    EXPECT_TRUE(done.value().empty());
  }
};

std::vector<uint8_t> seal_message(Session& from, const std::string& purpose, const std::string& text) {
  std::vector<uint8_t> out(Session::sealed_message_bytes(text.size()));
  auto sealed = from.seal_message(purpose, bytes(text), out);
  EXPECT_TRUE(sealed.ok()) << sealed.error().detail;
  out.resize(sealed.ok() ? sealed.value() : 0);
  return out;
}

Result<std::string> open_message(Session& to, const std::vector<uint8_t>& sealed) {
  std::vector<uint8_t> out(sealed.size());
  auto opened = to.open_message(sealed, out);
  if (!opened.ok()) return opened.error();
  return std::string(out.begin(), out.begin() + static_cast<long>(opened.value().length));
}

std::vector<uint8_t> seal_frame(Session& from, const std::string& purpose, uint8_t track, const std::vector<uint8_t>& frame) {
  std::vector<uint8_t> out(crypto::sealed_frame_max_bytes(FrameCodec::opus, frame.size()));
  auto sealed = from.seal_frame(from.purpose_index(purpose).value(), track, FrameCodec::opus, frame, out);
  EXPECT_TRUE(sealed.ok()) << sealed.error().detail;
  out.resize(sealed.ok() ? sealed.value() : 0);
  return out;
}

Result<std::vector<uint8_t>> open_frame(Session& to, const std::vector<uint8_t>& sealed) {
  std::vector<uint8_t> out(sealed.size());
  auto opened = to.open_frame(FrameCodec::opus, sealed, out);
  if (!opened.ok()) return opened.error();
  out.resize(opened.value().length);
  return out;
}

const std::vector<uint8_t> kOpusFrame = {0x78, 1, 2, 3, 4, 5, 6, 7, 8, 9};

TEST(Session, MessagesFlowBothWaysUnderTheirPurpose) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  auto to_agent = seal_message(desk.customer, "chat", "where is my parcel?");
  std::vector<uint8_t> out(to_agent.size());
  auto opened = agent.open_message(to_agent, out);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(agent.purposes()[opened.value().purpose], "chat");
  EXPECT_EQ(open_message(desk.customer, seal_message(agent, "chat", "on its way")).value(), "on its way");
  EXPECT_EQ(open_message(agent, seal_message(desk.customer, "voice", "relayed opus")).value(), "relayed opus");
  // A sealed message reflected back to its sender is not accepted.
  EXPECT_EQ(open_message(desk.customer, seal_message(desk.customer, "chat", "echo")).status(), Status::unknown_key);
}

TEST(Session, FramesFlowBothWaysPerTrack) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  for (uint8_t track = 0; track < kMaxTracks; ++track) {
    auto opened = open_frame(agent, seal_frame(desk.customer, "screen_share", track, kOpusFrame));
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value(), kOpusFrame);
  }
  auto sealed = seal_frame(agent, "camera", 0, kOpusFrame);
  std::vector<uint8_t> out(sealed.size());
  auto opened = desk.customer.open_frame(FrameCodec::opus, sealed, out);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(desk.customer.purposes()[opened.value().purpose], "camera");
  EXPECT_EQ(opened.value().track, 0);
  EXPECT_EQ(open_frame(desk.customer, seal_frame(desk.customer, "camera", 0, kOpusFrame)).status(), Status::unknown_key);
  std::vector<uint8_t> big(200);
  EXPECT_EQ(desk.customer.seal_frame(0, kMaxTracks, FrameCodec::opus, kOpusFrame, big).status(), Status::invalid_argument);
}

TEST(Session, VideoCodecsKeepTheirClearBytesThroughTheSession) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  const uint8_t camera = desk.customer.purpose_index("camera").value();
  std::vector<uint8_t> h264 = {0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80, 0, 0, 1, 0x65, 0x88};
  for (int i = 0; i < 3000; ++i) h264.push_back(static_cast<uint8_t>(i % 7 == 0 ? 0 : i));  // many zero bytes
  std::vector<uint8_t> vp8(900, 0x5A);
  vp8[0] = 0x10;  // key frame
  for (auto [codec, frame] : {std::pair{FrameCodec::h264, h264}, std::pair{FrameCodec::vp8, vp8}}) {
    std::vector<uint8_t> sealed(crypto::sealed_frame_max_bytes(codec, frame.size()));
    auto n = desk.customer.seal_frame(camera, 3, codec, frame, sealed);
    ASSERT_TRUE(n.ok()) << n.error().detail;
    sealed.resize(n.value());
    EXPECT_TRUE(std::equal(frame.begin(), frame.begin() + 10, sealed.begin()));
    std::vector<uint8_t> out(sealed.size());
    auto opened = agent.open_frame(codec, sealed, out);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    EXPECT_EQ(opened.value().track, 3);
    EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + static_cast<long>(opened.value().length)), frame);
  }
}

TEST(Session, FrameKeyRotationThroughTheSession) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  const uint8_t camera = desk.customer.purpose_index("camera").value();
  auto before = seal_frame(desk.customer, "camera", 1, kOpusFrame);
  auto late = seal_frame(desk.customer, "camera", 1, kOpusFrame);
  ASSERT_TRUE(open_frame(agent, before).ok());
  ASSERT_EQ(desk.customer.rotate_frame_key(camera, 1), Status::ok);
  ASSERT_TRUE(open_frame(agent, seal_frame(desk.customer, "camera", 1, kOpusFrame)).ok());
  EXPECT_EQ(open_frame(agent, late).status(), Status::unknown_key);
}

// The browser seals media in its own transform worker with keys exported per call: both sides
// derive the same keys from the call id, two calls never share a key, a call id gets keys once,
// and the export stops once the purpose is revoked.
namespace {
std::vector<uint8_t> seal_with(const std::array<uint8_t, 32>& base_key, uint64_t key_id) {
  auto sealer = crypto::FrameSealer::create(key_id, std::span<const uint8_t, 32>(base_key));
  EXPECT_TRUE(sealer.ok());
  std::vector<uint8_t> sealed(crypto::sealed_frame_max_bytes(FrameCodec::opus, kOpusFrame.size()));
  auto n = sealer.value().seal(FrameCodec::opus, kOpusFrame, sealed);
  EXPECT_TRUE(n.ok());
  sealed.resize(n.value());
  return sealed;
}
Status open_with(const std::array<uint8_t, 32>& base_key, uint64_t key_id, const std::vector<uint8_t>& sealed) {
  auto opener = crypto::FrameOpener::create(key_id, std::span<const uint8_t, 32>(base_key));
  EXPECT_TRUE(opener.ok());
  std::vector<uint8_t> out(sealed.size());
  return opener.value().open(FrameCodec::opus, sealed, out).status();
}
}  // namespace

TEST(Session, CallFrameKeysAreSharedByThePeersAndFreshPerCall) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  std::array<uint8_t, Session::kCallIdBytes> call1{}, call2{};
  call1.fill(0x11);
  call2.fill(0x22);
  std::array<uint8_t, 32> send{}, receive{}, agent_send{}, agent_receive{};
  auto mine = desk.customer.export_call_frame_keys("camera", 1, call1, send, receive);
  ASSERT_TRUE(mine.ok()) << mine.error().detail;
  auto theirs = agent.export_call_frame_keys("camera", 1, call1, agent_send, agent_receive);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(send, agent_receive);
  EXPECT_EQ(receive, agent_send);
  EXPECT_NE(send, receive);
  EXPECT_EQ(mine.value().send_key_id, theirs.value().receive_key_id);
  EXPECT_EQ(mine.value().send_key_id, frame_key_id(1, 2, crypto::Direction::customer_to_agent, 1));

  // A frame sealed in call 1 as the transform worker does opens with the peer's call-1 keys ...
  const auto frame1 = seal_with(send, mine.value().send_key_id);
  EXPECT_EQ(open_with(agent_receive, theirs.value().receive_key_id, frame1), Status::ok);
  // ... but never in the session's own openers (in-core and exported keys never coincide) ...
  EXPECT_EQ(open_frame(agent, frame1).status(), Status::auth_failed);

  // ... nor in call 2, whose keys share nothing with call 1 although both workers count from 0.
  std::array<uint8_t, 32> send2{}, receive2{}, agent_send2{}, agent_receive2{};
  ASSERT_TRUE(desk.customer.export_call_frame_keys("camera", 1, call2, send2, receive2).ok());
  ASSERT_TRUE(agent.export_call_frame_keys("camera", 1, call2, agent_send2, agent_receive2).ok());
  EXPECT_NE(send2, send);
  EXPECT_NE(receive2, receive);
  EXPECT_EQ(open_with(agent_receive2, theirs.value().receive_key_id, frame1), Status::auth_failed);
  const auto frame2 = seal_with(send2, mine.value().send_key_id);
  EXPECT_NE(frame1, frame2);  // same KID, same counter 0, same plaintext: different key and nonce

  // A call id gets keys once per (purpose, track): a replayed ring cannot make a side reuse them.
  EXPECT_EQ(agent.export_call_frame_keys("camera", 1, call1, agent_send, agent_receive).status(), Status::replayed);
  EXPECT_EQ(desk.customer.export_call_frame_keys("camera", 1, call2, send, receive).status(), Status::replayed);
  std::array<uint8_t, 32> other_track{}, other_track_receive{};
  ASSERT_TRUE(desk.customer.export_call_frame_keys("camera", 0, call1, other_track, other_track_receive).ok());
  EXPECT_NE(other_track, send);

  // Other purposes have other keys; bad ids, tracks and revoked purposes export nothing.
  std::array<uint8_t, 32> voice_send{}, voice_receive{};
  ASSERT_TRUE(desk.customer.export_call_frame_keys("voice", 1, call1, voice_send, voice_receive).ok());
  EXPECT_NE(voice_send, send);
  const std::array<uint8_t, Session::kCallIdBytes> zeros{};
  EXPECT_EQ(desk.customer.export_call_frame_keys("voice", 2, zeros, send, receive).status(), Status::invalid_argument);
  EXPECT_EQ(desk.customer.export_call_frame_keys("camera", kMaxTracks, call1, send, receive).status(), Status::invalid_argument);
  EXPECT_EQ(desk.customer.export_call_frame_keys("fax", 0, call1, send, receive).status(), Status::not_found);
  ASSERT_EQ(desk.customer.wipe_purpose("camera"), Status::ok);
  send.fill(0);
  std::array<uint8_t, Session::kCallIdBytes> call3{};
  call3.fill(0x33);
  EXPECT_EQ(desk.customer.export_call_frame_keys("camera", 1, call3, send, receive).status(), Status::key_wiped);
  EXPECT_EQ(send, (std::array<uint8_t, 32>{}));

  // A new epoch derives new call keys even for a call id seen before.
  Desk next;
  Session agent2 = Session::create_agent().value();
  next.handshake(agent2);
  std::array<uint8_t, 32> epoch_send{}, epoch_receive{};
  ASSERT_TRUE(next.customer.export_call_frame_keys("voice", 1, call1, epoch_send, epoch_receive).ok());
  EXPECT_NE(epoch_send, voice_send);
}

TEST(Session, AttachmentsRoundTripWithProgressAndNoReplay) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  std::vector<uint8_t> file(150000);
  for (size_t i = 0; i < file.size(); ++i) file[i] = static_cast<uint8_t>(i % 251);
  std::vector<uint8_t> sealed(Session::sealed_attachment_bytes(file.size()));
  uint64_t last_done = 0;
  auto n = desk.customer.seal_attachment("chat", file, sealed, [&](uint64_t done, uint64_t) { last_done = done; });
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(n.value(), sealed.size());
  EXPECT_EQ(last_done, file.size());
  // A message in between shares the chat chain.
  EXPECT_EQ(open_message(agent, seal_message(desk.customer, "chat", "sent you a file")).value(), "sent you a file");
  std::vector<uint8_t> out(file.size());
  int calls = 0;
  auto opened = agent.open_attachment(sealed, out, [&](uint64_t, uint64_t) { ++calls; });
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  EXPECT_EQ(out, file);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(agent.open_attachment(sealed, out, [](uint64_t, uint64_t) {}).status(), Status::replayed);
  EXPECT_EQ(agent.open_message(sealed, out).status(), Status::malformed);  // an attachment is not a message

  std::vector<uint8_t> second(Session::sealed_attachment_bytes(file.size()));
  ASSERT_TRUE(desk.customer.seal_attachment("chat", file, second, [](uint64_t, uint64_t) {}).ok());
  second.resize(second.size() - 100);
  EXPECT_FALSE(agent.open_attachment(second, out, [](uint64_t, uint64_t) {}).ok());
}

TEST(Session, RevokingAPurposeWipesOnlyItsKeysAtOnce) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  auto in_flight = seal_frame(desk.customer, "camera", 0, kOpusFrame);
  const uint8_t camera = desk.customer.purpose_index("camera").value();
  ASSERT_EQ(desk.customer.wipe_purpose("camera"), Status::ok);
  EXPECT_FALSE(desk.customer.has_keys("camera"));
  std::vector<uint8_t> out(200);
  auto refused = desk.customer.seal_frame(camera, 0, FrameCodec::opus, kOpusFrame, out);
  EXPECT_EQ(refused.status(), Status::key_wiped);
  EXPECT_EQ(std::string(status_name(refused.status())), "KEY_WIPED");
  EXPECT_EQ(desk.customer.seal_message("camera", bytes("x"), out).status(), Status::key_wiped);
  EXPECT_EQ(desk.customer.rotate_frame_key(camera, 0), Status::key_wiped);
  // The agent applies the same consent event: the frame sealed before the revoke no longer opens.
  ASSERT_EQ(agent.wipe_purpose("camera"), Status::ok);
  EXPECT_EQ(open_frame(agent, in_flight).status(), Status::key_wiped);
  // Other purposes are untouched; revoking twice or an unkeyed purpose is harmless.
  EXPECT_TRUE(desk.customer.has_keys("chat"));
  EXPECT_EQ(open_message(agent, seal_message(desk.customer, "chat", "still here")).value(), "still here");
  EXPECT_EQ(desk.customer.wipe_purpose("camera"), Status::ok);
  EXPECT_EQ(desk.customer.wipe_purpose("recording"), Status::ok);
}

TEST(Session, RegrantNeedsANewEpochWithFreshKeys) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  const auto old_code = desk.customer.safety_code();
  auto old_chat = seal_message(desk.customer, "chat", "epoch one");
  ASSERT_EQ(desk.customer.wipe_purpose("camera"), Status::ok);
  desk.handshake(agent);  // camera granted again: a new handshake, a new epoch
  EXPECT_EQ(desk.customer.epoch(), 2u);
  EXPECT_EQ(agent.epoch(), 2u);
  EXPECT_TRUE(desk.customer.has_keys("camera"));
  EXPECT_NE(desk.customer.safety_code(), old_code);
  EXPECT_TRUE(open_frame(agent, seal_frame(desk.customer, "camera", 0, kOpusFrame)).ok());
  auto stale = open_message(agent, old_chat);  // sealed under epoch 1, whose keys are gone
  EXPECT_EQ(stale.status(), Status::unknown_key);
  EXPECT_NE(stale.error().detail.find("epoch 1"), std::string::npos);
}

TEST(Session, RevokeDuringAHandshakeWipesThePurposeOnArrival) {
  Desk desk;
  Session agent = Session::create_agent().value();
  auto hello = desk.customer.begin_handshake(kPurposes).value();
  ASSERT_EQ(desk.customer.wipe_purpose("voice"), Status::ok);
  auto reply = agent.handle_handshake(hello, desk.desk_identity).value();
  ASSERT_EQ(agent.wipe_purpose("voice"), Status::ok);
  auto finish = desk.customer.handle_handshake(reply, desk.customer_identity).value();
  ASSERT_TRUE(agent.handle_handshake(finish, desk.desk_identity).ok());
  EXPECT_FALSE(desk.customer.has_keys("voice"));
  EXPECT_FALSE(agent.has_keys("voice"));
  EXPECT_TRUE(desk.customer.has_keys("chat"));
}

TEST(Session, AgentTransferLocksTheOldAgentOut) {
  Desk desk;
  Session old_agent = Session::create_agent().value();
  desk.handshake(old_agent);
  ASSERT_TRUE(open_message(old_agent, seal_message(desk.customer, "chat", "hello first agent")).ok());

  // Transfer: the customer starts epoch 2; from this moment nothing is sealed under epoch 1.
  auto hello = desk.customer.begin_handshake(kPurposes).value();
  std::vector<uint8_t> out(400);
  EXPECT_EQ(desk.customer.seal_message("chat", bytes("too early"), out).status(), Status::unknown_key);

  // The relay routes the hello to the new agent, who expects this customer's identity.
  Session new_agent = Session::create_agent(desk.customer_identity.public_key()).value();
  auto reply = new_agent.handle_handshake(hello, desk.desk_identity).value();
  auto finish = desk.customer.handle_handshake(reply, desk.customer_identity).value();
  ASSERT_TRUE(new_agent.handle_handshake(finish, desk.desk_identity).ok());

  // The old agent saw every handshake message on the wire and still cannot follow.
  EXPECT_EQ(old_agent.handle_handshake(finish, desk.desk_identity).status(), Status::handshake_failed);
  auto secret = seal_message(desk.customer, "chat", "my new address is ...");
  EXPECT_EQ(open_message(new_agent, secret).value(), "my new address is ...");
  EXPECT_EQ(open_message(old_agent, secret).status(), Status::unknown_key);
  auto frame = seal_frame(desk.customer, "camera", 0, kOpusFrame);
  EXPECT_TRUE(open_frame(new_agent, frame).ok());
  EXPECT_EQ(open_frame(old_agent, frame).status(), Status::unknown_key);
  std::vector<uint8_t> file(1000, 7), sealed(Session::sealed_attachment_bytes(1000)), plain(1000);
  ASSERT_TRUE(desk.customer.seal_attachment("chat", file, sealed, [](uint64_t, uint64_t) {}).ok());
  EXPECT_EQ(old_agent.open_attachment(sealed, plain, [](uint64_t, uint64_t) {}).status(), Status::unknown_key);
  // A late reply from the old agent to the transfer hello is refused: the handshake is over.
  auto old_reply = old_agent.handle_handshake(hello, desk.desk_identity);
  ASSERT_TRUE(old_reply.ok());
  EXPECT_EQ(desk.customer.handle_handshake(old_reply.value(), desk.customer_identity).status(), Status::handshake_failed);
  // And messages from the old agent's epoch no longer open for the customer.
  EXPECT_EQ(open_message(desk.customer, seal_message(old_agent, "chat", "still there?")).status(), Status::unknown_key);
}

TEST(Session, AgentRefusesAnotherCustomerInALaterEpoch) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  IdentityKey impostor = IdentityKey::generate().value();
  auto hello = desk.customer.begin_handshake(kPurposes).value();
  auto reply = agent.handle_handshake(hello, desk.desk_identity).value();
  auto finish = desk.customer.handle_handshake(reply, impostor).value();
  EXPECT_EQ(agent.handle_handshake(finish, desk.desk_identity).status(), Status::key_mismatch);
  EXPECT_EQ(agent.epoch(), 1u);  // the agent keeps epoch 1 until a proven epoch 2
}

TEST(Session, EndingWipesEverything) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent);
  auto sealed = seal_message(desk.customer, "chat", "bye");
  agent.end();
  EXPECT_TRUE(agent.ended());
  EXPECT_FALSE(agent.established());
  EXPECT_TRUE(agent.safety_code().empty());
  std::vector<uint8_t> out(sealed.size());
  EXPECT_EQ(agent.open_message(sealed, out).status(), Status::key_wiped);
  EXPECT_EQ(agent.open_frame(FrameCodec::opus, seal_frame(desk.customer, "voice", 0, kOpusFrame), out).status(),
            Status::key_wiped);
  EXPECT_EQ(agent.handle_handshake(desk.customer.begin_handshake(kPurposes).value(), desk.desk_identity).status(),
            Status::key_wiped);
  desk.customer.end();
  EXPECT_EQ(desk.customer.begin_handshake(kPurposes).status(), Status::key_wiped);
  EXPECT_EQ(desk.customer.seal_message("chat", bytes("x"), out).status(), Status::key_wiped);
}

TEST(Session, NothingWorksBeforeTheHandshake) {
  Desk desk;
  std::vector<uint8_t> out(400);
  EXPECT_EQ(desk.customer.seal_message("chat", bytes("x"), out).status(), Status::unknown_key);
  EXPECT_EQ(desk.customer.seal_frame(0, 0, FrameCodec::opus, kOpusFrame, out).status(), Status::unknown_key);
  EXPECT_EQ(desk.customer.purpose_index("chat").status(), Status::not_found);
  EXPECT_EQ(desk.customer.epoch(), 0u);
  EXPECT_TRUE(desk.customer.purposes().empty());
}

TEST(Session, UnknownPurposeIsNotFound) {
  Desk desk;
  Session agent = Session::create_agent().value();
  desk.handshake(agent, {"chat"});
  std::vector<uint8_t> out(400);
  EXPECT_EQ(desk.customer.seal_message("camera", bytes("x"), out).status(), Status::not_found);
  EXPECT_EQ(desk.customer.seal_frame(3, 0, FrameCodec::opus, kOpusFrame, out).status(), Status::not_found);
}

}  // namespace
}  // namespace sealdesk::session
