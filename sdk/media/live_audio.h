// Live audio over the relay (the fallback when WebRTC cannot connect): Opus frames arrive with a
// sequence number, late, reordered or not at all. The jitter buffer turns them back into one
// frame per playout tick, choosing for each tick: play the packet, rebuild it from the next
// packet's in-band FEC, or conceal it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/media/voice_codec.h"

namespace sealdesk::media {

class JitterBuffer {
 public:
  static constexpr size_t kCapacity = 64;  // 1.28 s of 20 ms frames

  // Playout starts once target_depth frames are buffered (3 x 20 ms = 60 ms by default).
  explicit JitterBuffer(size_t target_depth = 3);

  // Stores packet seq. replayed for a duplicate or an already played seq; outside_window for a
  // seq whose tick has passed; too_large for an oversize packet. A seq far ahead of playout
  // (a sender that paused or a long outage) restarts playout near it.
  Status push(uint64_t seq, std::span<const uint8_t> packet);

  enum class Action { wait, play, recover, conceal };
  struct Tick {
    Action action = Action::wait;
    std::span<const uint8_t> packet;  // play: this packet; recover: the next one (its FEC)
    uint64_t seq = 0;
  };
  // What to do for the next 20 ms of output. The span stays valid until the next push/next.
  Tick next();

  struct Stats {
    uint64_t played = 0, recovered = 0, concealed = 0, late = 0, duplicates = 0;
  };
  const Stats& stats() const { return stats_; }
  size_t buffered() const;

 private:
  struct Slot {
    bool full = false;
    uint64_t seq = 0;
    std::vector<uint8_t> data;
  };
  Slot& slot(uint64_t seq) { return slots_[seq % kCapacity]; }
  bool has(uint64_t seq) const { return slots_[seq % kCapacity].full && slots_[seq % kCapacity].seq == seq; }

  size_t target_depth_;
  bool started_ = false;
  bool any_ = false;
  uint64_t play_seq_ = 0;  // next seq to play (once started) / lowest seq seen (before)
  bool played_any_ = false;
  uint64_t played_upto_ = 0;  // the newest seq played or recovered: never played again
  std::array<Slot, kCapacity> slots_{};
  std::vector<uint8_t> current_;  // the packet handed out by the last next()
  Stats stats_;
};

// Jitter buffer + decoder: feed packets as they arrive, pull 20 ms of 48 kHz mono per tick.
class LiveAudioReceiver {
 public:
  static Result<LiveAudioReceiver> create(size_t target_depth = 3);

  Status receive(uint64_t seq, std::span<const uint8_t> packet) { return buffer_.push(seq, packet); }

  // Fills pcm (960 samples) and says how it was made; silence while waiting to start.
  Result<JitterBuffer::Action> play(std::span<int16_t, 960> pcm);

  const JitterBuffer::Stats& stats() const { return buffer_.stats(); }

 private:
  explicit LiveAudioReceiver(VoiceDecoder decoder, size_t depth) : decoder_(std::move(decoder)), buffer_(depth) {}
  VoiceDecoder decoder_;
  JitterBuffer buffer_;
};

}  // namespace sealdesk::media
