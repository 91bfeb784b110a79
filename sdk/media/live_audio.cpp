#include "sdk/media/live_audio.h"

#include <algorithm>

namespace sealdesk::media {

JitterBuffer::JitterBuffer(size_t target_depth) : target_depth_(std::clamp<size_t>(target_depth, 1, kCapacity / 2)) {}

size_t JitterBuffer::buffered() const {
  return static_cast<size_t>(std::count_if(slots_.begin(), slots_.end(), [&](const Slot& s) {
    return s.full && (!started_ || s.seq >= play_seq_);
  }));
}

Status JitterBuffer::push(uint64_t seq, std::span<const uint8_t> packet) {
  if (packet.empty() || packet.size() > kMaxPacketBytes) return Status::too_large;
  if (started_ && seq < play_seq_) {
    // Late while nothing else is queued: the sender's clock runs behind the playout clock (a
    // browser timer, a stalled tab), it did not lose the packet. Step playout back to it, so it
    // plays; otherwise every later packet would arrive "late" too.
    if (buffered() == 0 && play_seq_ - seq <= 2 * target_depth_ && (!played_any_ || seq > played_upto_)) {
      play_seq_ = seq;
    } else {
      ++stats_.late;
      return Status::outside_window;
    }
  }
  if (has(seq)) {
    ++stats_.duplicates;
    return Status::replayed;
  }
  if (!any_) {
    play_seq_ = seq;
    any_ = true;
  } else if (!started_ && seq < play_seq_) {
    if (play_seq_ - seq >= kCapacity / 2) return Status::outside_window;
    play_seq_ = seq;
  }
  if (seq >= play_seq_ + kCapacity) {
    // Far ahead: the stream moved on (sender paused, long outage). Restart playout near it.
    for (Slot& s : slots_) s.full = false;
    play_seq_ = seq;
    started_ = false;
  }
  Slot& s = slot(seq);
  s.full = true;
  s.seq = seq;
  s.data.assign(packet.begin(), packet.end());
  if (!started_ && buffered() >= target_depth_) started_ = true;
  return Status::ok;
}

JitterBuffer::Tick JitterBuffer::next() {
  Tick tick;
  if (!started_) return tick;
  tick.seq = play_seq_;
  if (has(play_seq_)) {
    Slot& s = slot(play_seq_);
    current_.swap(s.data);
    s.full = false;
    tick.action = Action::play;
    tick.packet = current_;
    ++stats_.played;
    played_any_ = true;
    played_upto_ = play_seq_;
  } else if (has(play_seq_ + 1)) {
    current_ = slot(play_seq_ + 1).data;  // the next packet stays queued for its own tick
    tick.action = Action::recover;
    tick.packet = current_;
    ++stats_.recovered;
    played_any_ = true;
    played_upto_ = play_seq_;
  } else {
    tick.action = Action::conceal;
    ++stats_.concealed;
  }
  ++play_seq_;
  return tick;
}

Result<LiveAudioReceiver> LiveAudioReceiver::create(size_t target_depth) {
  auto decoder = VoiceDecoder::create(48000, 1);
  if (!decoder.ok()) return decoder.error();
  return LiveAudioReceiver(std::move(decoder).value(), target_depth);
}

Result<JitterBuffer::Action> LiveAudioReceiver::play(std::span<int16_t, 960> pcm) {
  const JitterBuffer::Tick tick = buffer_.next();
  Result<size_t> made = size_t{0};
  switch (tick.action) {
    case JitterBuffer::Action::wait:
      std::fill(pcm.begin(), pcm.end(), int16_t{0});
      return tick.action;
    case JitterBuffer::Action::play:
      made = decoder_.decode(tick.packet, pcm);
      break;
    case JitterBuffer::Action::recover:
      made = decoder_.recover(tick.packet, pcm);
      break;
    case JitterBuffer::Action::conceal:
      made = decoder_.conceal(pcm);
      break;
  }
  if (!made.ok()) {
    // A packet that opened but does not decode: conceal this tick rather than stall playout.
    if (auto concealed = decoder_.conceal(pcm); !concealed.ok()) return concealed.error();
    return JitterBuffer::Action::conceal;
  }
  if (made.value() < pcm.size()) std::fill(pcm.begin() + static_cast<std::ptrdiff_t>(made.value()), pcm.end(), int16_t{0});
  return tick.action;
}

}  // namespace sealdesk::media
