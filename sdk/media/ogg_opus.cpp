#include "sdk/media/ogg_opus.h"

#include <ogg/ogg.h>

#include <cstring>
#include <limits>

#include "sdk/media/voice_codec.h"

namespace sealdesk::media {
namespace {

void put_le16(std::vector<uint8_t>& v, uint32_t x) {
  v.push_back(static_cast<uint8_t>(x));
  v.push_back(static_cast<uint8_t>(x >> 8));
}
void put_le32(std::vector<uint8_t>& v, uint32_t x) {
  put_le16(v, x & 0xffff);
  put_le16(v, x >> 16);
}
uint32_t le16(const uint8_t* p) { return static_cast<uint32_t>(p[0] | (p[1] << 8)); }
uint32_t le32(const uint8_t* p) { return le16(p) | (le16(p + 2) << 16); }

std::string vendor_string() { return std::string("SealDesk ") + opus_version(); }

// RFC 7845 §5.1: identification header, channel mapping family 0 (mono/stereo).
std::vector<uint8_t> opus_head(const OggOpusHeader& h) {
  std::vector<uint8_t> v = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, static_cast<uint8_t>(h.channels)};
  put_le16(v, static_cast<uint32_t>(h.pre_skip));
  put_le32(v, static_cast<uint32_t>(h.input_sample_rate));
  put_le16(v, 0);  // output gain
  v.push_back(0);  // mapping family
  return v;
}

// RFC 7845 §5.2: comment header with our vendor string and no user comments (nothing about
// the speaker goes into a file that may be downloaded).
std::vector<uint8_t> opus_tags() {
  const std::string vendor = vendor_string();
  std::vector<uint8_t> v = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  put_le32(v, static_cast<uint32_t>(vendor.size()));
  v.insert(v.end(), vendor.begin(), vendor.end());
  put_le32(v, 0);
  return v;
}

}  // namespace

struct OggOpusWriter::State {
  ogg_stream_state stream{};
  std::vector<uint8_t> file;
  std::vector<uint8_t> pending;  // the newest packet, held back until we know whether it is last
  bool has_pending = false;
  int64_t granule = 0;
  int64_t packetno = 0;
  int32_t pre_skip = 0;
};

Result<OggOpusWriter> OggOpusWriter::create(const OggOpusHeader& header, uint32_t serial) {
  if (header.channels != 1 && header.channels != 2) return Error{Status::invalid_argument, "channels must be 1 or 2"};
  if (header.pre_skip < 0 || header.pre_skip > 65535) return Error{Status::invalid_argument, "pre_skip must fit 16 bits"};
  if (header.input_sample_rate < 0) return Error{Status::invalid_argument, "input_sample_rate must be >= 0"};
  auto* state = new State();
  if (ogg_stream_init(&state->stream, static_cast<int>(serial)) != 0) {
    delete state;
    return Status::out_of_memory;
  }
  state->pre_skip = header.pre_skip;
  OggOpusWriter writer(state);
  // Each header packet sits alone on its page (RFC 7845 §3), hence the flushes.
  if (writer.submit(opus_head(header), 0, false) != Status::ok) return Status::internal;
  writer.drain_pages(true);
  if (writer.submit(opus_tags(), 0, false) != Status::ok) return Status::internal;
  writer.drain_pages(true);
  return writer;
}

OggOpusWriter::OggOpusWriter(OggOpusWriter&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }

OggOpusWriter::~OggOpusWriter() {
  if (state_ != nullptr) {
    ogg_stream_clear(&state_->stream);
    delete state_;
  }
}

Status OggOpusWriter::submit(std::span<const uint8_t> packet, int64_t granule, bool end_of_stream) {
  ogg_packet op{};
  op.packet = const_cast<unsigned char*>(packet.data());  // libogg copies; it never writes here
  op.bytes = static_cast<long>(packet.size());
  op.b_o_s = state_->packetno == 0 ? 1 : 0;
  op.e_o_s = end_of_stream ? 1 : 0;
  op.granulepos = granule;
  op.packetno = state_->packetno++;
  return ogg_stream_packetin(&state_->stream, &op) == 0 ? Status::ok : Status::internal;
}

void OggOpusWriter::drain_pages(bool flush) {
  ogg_page page;
  while ((flush ? ogg_stream_flush(&state_->stream, &page) : ogg_stream_pageout(&state_->stream, &page)) != 0) {
    state_->file.insert(state_->file.end(), page.header, page.header + page.header_len);
    state_->file.insert(state_->file.end(), page.body, page.body + page.body_len);
  }
}

Status OggOpusWriter::add_packet(std::span<const uint8_t> packet, int64_t samples_48k) {
  if (state_ == nullptr) return Status::invalid_argument;
  if (packet.empty() || packet.size() > kMaxPacketBytes) return Status::invalid_argument;
  if (samples_48k <= 0 || samples_48k > 5760) return Status::invalid_argument;
  if (state_->has_pending) {
    if (Status s = submit(state_->pending, state_->granule, false); s != Status::ok) return s;
    drain_pages(false);
  }
  state_->pending.assign(packet.begin(), packet.end());
  state_->has_pending = true;
  state_->granule += samples_48k;
  return Status::ok;
}

Result<std::vector<uint8_t>> OggOpusWriter::finish(int64_t valid_samples_48k) {
  if (state_ == nullptr || !state_->has_pending) return Error{Status::invalid_argument, "no audio packets"};
  const int64_t end = state_->pre_skip + valid_samples_48k;
  if (valid_samples_48k < 0 || end > state_->granule) {
    return Error{Status::invalid_argument, "valid length exceeds the audio written"};
  }
  if (Status s = submit(state_->pending, end, true); s != Status::ok) return s;
  state_->has_pending = false;
  drain_pages(true);
  return std::move(state_->file);
}

Result<OggOpusFile> read_ogg_opus(std::span<const uint8_t> file) {
  if (file.empty()) return Error{Status::truncated, "empty file"};
  if (file.size() > static_cast<size_t>(std::numeric_limits<long>::max())) return Status::too_large;
  ogg_sync_state sync;
  ogg_sync_init(&sync);
  ogg_stream_state stream{};
  bool stream_ready = false;
  auto cleanup = [&] {
    if (stream_ready) ogg_stream_clear(&stream);
    ogg_sync_clear(&sync);
  };
  char* buffer = ogg_sync_buffer(&sync, static_cast<long>(file.size()));
  if (buffer == nullptr) {
    cleanup();
    return Status::out_of_memory;
  }
  if (!file.empty()) std::memcpy(buffer, file.data(), file.size());
  ogg_sync_wrote(&sync, static_cast<long>(file.size()));

  OggOpusFile out;
  int64_t packet_index = 0;
  bool ended = false;
  Error failure{Status::ok, {}};
  ogg_page page;
  while (failure.status == Status::ok && !ended) {
    const int r = ogg_sync_pageout(&sync, &page);
    if (r == 0) break;  // no more complete pages
    if (r < 0) {
      failure = {Status::malformed, "damaged Ogg page (CRC or capture pattern)"};
      break;
    }
    if (!stream_ready) {
      if (ogg_page_bos(&page) == 0) {
        failure = {Status::malformed, "first page is not a beginning of stream"};
        break;
      }
      ogg_stream_init(&stream, ogg_page_serialno(&page));
      stream_ready = true;
    } else if (ogg_page_serialno(&page) != stream.serialno) {
      failure = {Status::malformed, "more than one logical stream"};
      break;
    }
    if (ogg_stream_pagein(&stream, &page) != 0) {
      failure = {Status::malformed, "page does not belong to the stream"};
      break;
    }
    ogg_packet op;
    int pr;
    while ((pr = ogg_stream_packetout(&stream, &op)) != 0) {
      if (pr < 0) {
        failure = {Status::malformed, "missing data between pages"};
        break;
      }
      const auto* p = op.packet;
      const auto n = static_cast<size_t>(op.bytes);
      if (packet_index == 0) {
        if (n < 19 || std::memcmp(p, "OpusHead", 8) != 0 || (p[8] & 0xf0) != 0) {
          failure = {Status::malformed, "first packet is not an OpusHead (RFC 7845 §5.1)"};
          break;
        }
        out.header.channels = p[9];
        out.header.pre_skip = static_cast<int32_t>(le16(p + 10));
        out.header.input_sample_rate = static_cast<int32_t>(le32(p + 12));
        if (p[18] != 0 || (out.header.channels != 1 && out.header.channels != 2)) {
          failure = {Status::malformed, "only mono and stereo (mapping family 0) are supported"};
          break;
        }
      } else if (packet_index == 1) {
        if (n < 16 || std::memcmp(p, "OpusTags", 8) != 0 || le32(p + 8) > n - 16) {
          failure = {Status::malformed, "second packet is not an OpusTags (RFC 7845 §5.2)"};
          break;
        }
        out.vendor.assign(reinterpret_cast<const char*>(p + 12), le32(p + 8));
      } else {
        if (n == 0 || n > kMaxPacketBytes) {
          failure = {Status::malformed, "audio packet size out of range"};
          break;
        }
        out.packets.emplace_back(p, p + n);
      }
      if (op.granulepos >= 0) out.final_granule = op.granulepos;
      if (op.e_o_s != 0) ended = true;
      ++packet_index;
    }
  }
  cleanup();
  if (failure.status != Status::ok) return failure;
  if (packet_index < 2) return Error{Status::truncated, "no Opus headers"};
  if (!ended) return Error{Status::truncated, "end-of-stream page missing"};
  return out;
}

}  // namespace sealdesk::media
