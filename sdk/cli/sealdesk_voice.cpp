// sealdesk-voice: the voice-note codec from the command line (native build only).
//   sealdesk-voice encode [--rate HZ] [--bitrate BPS] [--complexity N] [--max-ms MS] [--serial N]
//       reads mono 32-bit float little-endian PCM on stdin, writes an Ogg Opus file to stdout
//   sealdesk-voice decode
//       reads an Ogg Opus file on stdin, writes 48 kHz interleaved float32 PCM to stdout
// Exit status: 0 ok, 1 bad input (the status code name on stderr), 2 usage.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sdk/media/voice_note.h"

namespace {

std::vector<uint8_t> read_stdin() {
  std::vector<uint8_t> data;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) data.insert(data.end(), buf, buf + n);
  return data;
}

int fail(const sealdesk::Error& e) {
  std::fprintf(stderr, "sealdesk-voice: %s: %s\n", sealdesk::status_name(e.status), e.detail.c_str());
  return 1;
}

int usage() {
  std::fputs("usage: sealdesk-voice encode [--rate HZ] [--bitrate BPS] [--complexity N] [--max-ms MS] [--serial N]\n"
             "       sealdesk-voice decode\n",
             stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sealdesk;
  if (argc < 2) return usage();
  const std::string verb = argv[1];
  if (verb == "encode") {
    media::VoiceNoteOptions options;
    for (int i = 2; i + 1 < argc; i += 2) {
      const long v = std::strtol(argv[i + 1], nullptr, 10);
      if (!std::strcmp(argv[i], "--rate")) options.input_sample_rate = static_cast<int32_t>(v);
      else if (!std::strcmp(argv[i], "--bitrate")) options.bitrate = static_cast<int32_t>(v);
      else if (!std::strcmp(argv[i], "--complexity")) options.complexity = static_cast<int32_t>(v);
      else if (!std::strcmp(argv[i], "--max-ms")) options.max_duration_ms = static_cast<int32_t>(v);
      else if (!std::strcmp(argv[i], "--serial")) options.serial = static_cast<uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
      else return usage();
    }
    auto recorder = media::VoiceNoteRecorder::create(options);
    if (!recorder.ok()) return fail(recorder.error());
    const auto raw = read_stdin();
    std::vector<float> pcm(raw.size() / sizeof(float));
    std::memcpy(pcm.data(), raw.data(), pcm.size() * sizeof(float));
    const Status pushed = recorder.value().push(pcm);
    if (pushed != Status::ok && pushed != Status::too_large) return fail({pushed, "push"});
    auto file = recorder.value().finish();
    if (!file.ok()) return fail(file.error());
    std::fwrite(file.value().data(), 1, file.value().size(), stdout);
    return 0;
  }
  if (verb == "decode") {
    const auto raw = read_stdin();
    auto note = media::decode_voice_note(raw);
    if (!note.ok()) return fail(note.error());
    std::fwrite(note.value().pcm.data(), sizeof(float), note.value().pcm.size(), stdout);
    return 0;
  }
  return usage();
}
