#include "sdk/pii/pattern.h"

#include <algorithm>
#include <string>

#include "sdk/pii/text.h"

namespace sealdesk::pii::detail {

using Range = std::pair<uint32_t, uint32_t>;
using Ranges = std::vector<Range>;

namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr int kMaxDepth = 32;
constexpr int kMaxRepeat = 64;
constexpr int kUnbounded = -1;

void normalize_ranges(Ranges& r) {
  std::sort(r.begin(), r.end());
  Ranges merged;
  for (const Range& x : r) {
    if (!merged.empty() && x.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, x.second);
    } else {
      merged.push_back(x);
    }
  }
  r.swap(merged);
}

Ranges complement(const Ranges& r) {
  Ranges out;
  uint32_t next = 0;
  for (const Range& x : r) {
    if (x.first > next) out.push_back({next, x.first - 1});
    next = x.second + 1;
  }
  if (next <= kMaxCodePoint) out.push_back({next, kMaxCodePoint});
  return out;
}

void add_other_case(Ranges& r) {
  const size_t count = r.size();
  for (size_t i = 0; i < count; ++i) {
    const Range x = r[i];
    const uint32_t ulo = std::max<uint32_t>(x.first, 'A');
    const uint32_t uhi = std::min<uint32_t>(x.second, 'Z');
    if (ulo <= uhi) r.push_back({ulo + 32, uhi + 32});
    const uint32_t llo = std::max<uint32_t>(x.first, 'a');
    const uint32_t lhi = std::min<uint32_t>(x.second, 'z');
    if (llo <= lhi) r.push_back({llo - 32, lhi - 32});
  }
}

const Ranges kDigits{{'0', '9'}};
const Ranges kWord{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
const Ranges kSpace{{'\t', '\r'}, {' ', ' '}};
const Ranges kHan{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x2FA1F}};

bool is_word_byte(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace

bool Pattern::Klass::matches(uint32_t cp) const {
  if (cp < 64) return (ascii_lo >> cp) & 1;
  if (cp < 128) return (ascii_hi >> (cp - 64)) & 1;
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp, [](uint32_t v, const Range& r) { return v < r.first; });
  if (it == ranges.begin()) return false;
  --it;
  return cp <= it->second;
}

// ---- parser and code generator -------------------------------------------------------------

class PatternCompiler {
 public:
  PatternCompiler(std::string_view src, bool ignore_case) : src_(src), ignore_case_(ignore_case) {}

  Result<Pattern> compile() {
    if (src_.empty()) return Error{Status::rule_invalid, "pattern is empty"};
    if (src_.size() > kMaxPatternBytes) return Error{Status::rule_invalid, "pattern longer than 512 bytes"};
    const int root = parse_alt(0);
    if (root < 0) return Error{Status::rule_invalid, error_};
    if (pos_ != src_.size()) return fail_result("unbalanced ')'");
    if (nullable(root)) return Error{Status::rule_invalid, "pattern can match the empty string"};
    if (!emit(root)) return Error{Status::rule_invalid, "pattern compiles to more than 2048 instructions"};
    push({Pattern::Op::match, {}, 0, 0});
    if (pattern_.program_.size() > kMaxPatternInstructions) {
      return Error{Status::rule_invalid, "pattern compiles to more than 2048 instructions"};
    }
    compute_first_bytes();
    return std::move(pattern_);
  }

 private:
  enum class Kind : uint8_t { empty, klass, concat, alt, repeat, assertion };
  struct Node {
    Kind kind = Kind::empty;
    uint32_t klass = 0;
    std::vector<int> kids;
    int min = 0;
    int max = 0;
    Pattern::Assertion assertion = Pattern::Assertion::word_boundary;
  };

  static Node node_of(Kind kind) {
    Node node;
    node.kind = kind;
    return node;
  }

  Result<Pattern> fail_result(const std::string& what) {
    fail(what);
    return Error{Status::rule_invalid, error_};
  }

  int fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(pos_);
    return -1;
  }

  bool at_end() const { return pos_ >= src_.size(); }
  char peek() const { return at_end() ? '\0' : src_[pos_]; }

  int add_node(Node node) {
    nodes_.push_back(std::move(node));
    return static_cast<int>(nodes_.size() - 1);
  }

  int add_class(Ranges ranges, bool negate) {
    if (ignore_case_) add_other_case(ranges);
    normalize_ranges(ranges);
    if (negate) ranges = complement(ranges);
    Pattern::Klass k;
    for (const Range& r : ranges) {
      for (uint32_t c = r.first; c <= std::min<uint32_t>(r.second, 127); ++c) {
        if (c < 64) {
          k.ascii_lo |= uint64_t{1} << c;
        } else {
          k.ascii_hi |= uint64_t{1} << (c - 64);
        }
      }
    }
    k.ranges = std::move(ranges);
    pattern_.classes_.push_back(std::move(k));
    Node node = node_of(Kind::klass);
    node.klass = static_cast<uint32_t>(pattern_.classes_.size() - 1);
    return add_node(std::move(node));
  }

  // alt := concat ('|' concat)*
  int parse_alt(int depth) {
    if (depth > kMaxDepth) return fail("groups nested deeper than 32");
    std::vector<int> branches;
    const int first = parse_concat(depth);
    if (first < 0) return -1;
    branches.push_back(first);
    while (peek() == '|') {
      ++pos_;
      const int next = parse_concat(depth);
      if (next < 0) return -1;
      branches.push_back(next);
    }
    if (branches.size() == 1) return first;
    Node node = node_of(Kind::alt);
    node.kids = std::move(branches);
    return add_node(std::move(node));
  }

  // concat := repeat*
  int parse_concat(int depth) {
    std::vector<int> items;
    while (!at_end() && peek() != '|' && peek() != ')') {
      const int item = parse_repeat(depth);
      if (item < 0) return -1;
      items.push_back(item);
    }
    if (items.size() == 1) return items[0];
    Node node = node_of(items.empty() ? Kind::empty : Kind::concat);
    node.kids = std::move(items);
    return add_node(std::move(node));
  }

  bool parse_int(int& value) {
    if (!(peek() >= '0' && peek() <= '9')) return false;
    value = 0;
    while (peek() >= '0' && peek() <= '9') {
      value = value * 10 + (peek() - '0');
      if (value > kMaxRepeat) return false;
      ++pos_;
    }
    return true;
  }

  int parse_repeat(int depth) {
    int atom = parse_atom(depth);
    if (atom < 0) return -1;
    while (!at_end()) {
      int min;
      int max;
      const char c = peek();
      if (c == '*') {
        min = 0;
        max = kUnbounded;
        ++pos_;
      } else if (c == '+') {
        min = 1;
        max = kUnbounded;
        ++pos_;
      } else if (c == '?') {
        min = 0;
        max = 1;
        ++pos_;
      } else if (c == '{') {
        ++pos_;
        if (!parse_int(min)) return fail("repetition count must be 0-64");
        max = min;
        if (peek() == ',') {
          ++pos_;
          if (peek() == '}') {
            max = kUnbounded;
          } else if (!parse_int(max) || max < min) {
            return fail("bad repetition bound");
          }
        }
        if (peek() != '}') return fail("'{' without '}'");
        ++pos_;
      } else {
        break;
      }
      if (peek() == '?' || peek() == '+') return fail("lazy and possessive repetition are not supported");
      if (nodes_[static_cast<size_t>(atom)].kind == Kind::assertion) return fail("an assertion cannot repeat");
      Node node = node_of(Kind::repeat);
      node.kids = {atom};
      node.min = min;
      node.max = max;
      atom = add_node(std::move(node));
    }
    return atom;
  }

  int parse_atom(int depth) {
    const char c = peek();
    switch (c) {
      case '(': {
        ++pos_;
        if (peek() == '?') {
          if (pos_ + 1 < src_.size() && src_[pos_ + 1] == ':') {
            pos_ += 2;
          } else {
            return fail("only (?:...) groups are supported");
          }
        }
        const int inner = parse_alt(depth + 1);
        if (inner < 0) return -1;
        if (peek() != ')') return fail("'(' without ')'");
        ++pos_;
        return inner;
      }
      case '[':
        return parse_class();
      case '.':
        ++pos_;
        return add_class({{'\n', '\n'}}, true);
      case '^':
      case '$': {
        ++pos_;
        Node node = node_of(Kind::assertion);
        node.assertion = c == '^' ? Pattern::Assertion::text_start : Pattern::Assertion::text_end;
        return add_node(std::move(node));
      }
      case '*': case '+': case '?': case '{':
        return fail("repetition without an operand");
      case ')':
        return fail("unbalanced ')'");
      case ']': case '}':
        return fail(std::string("unescaped '") + c + "'");
      case '\\': {
        if (pos_ + 1 < src_.size() && (src_[pos_ + 1] == 'b' || src_[pos_ + 1] == 'B')) {
          Node node = node_of(Kind::assertion);
          node.assertion = src_[pos_ + 1] == 'b' ? Pattern::Assertion::word_boundary
                                                 : Pattern::Assertion::not_word_boundary;
          pos_ += 2;
          return add_node(std::move(node));
        }
        Ranges ranges;
        bool negate = false;
        if (!parse_escape(ranges, negate, false)) return -1;
        return add_class(std::move(ranges), negate);
      }
      default: {
        uint32_t cp;
        if (!literal(cp)) return -1;
        return add_class({{cp, cp}}, false);
      }
    }
  }

  bool literal(uint32_t& cp) {
    const Decoded d = decode_utf8(reinterpret_cast<const uint8_t*>(src_.data()) + pos_, src_.size() - pos_);
    if (!d.valid) {
      fail("invalid UTF-8");
      return false;
    }
    pos_ += d.len;
    cp = d.cp;
    return true;
  }

  bool hex_value(size_t from, size_t count, uint32_t& cp) const {
    if (from + count > src_.size() || count == 0 || count > 6) return false;
    cp = 0;
    for (size_t i = from; i < from + count; ++i) {
      const char h = src_[i];
      uint32_t v;
      if (h >= '0' && h <= '9') {
        v = static_cast<uint32_t>(h - '0');
      } else if ((h | 0x20) >= 'a' && (h | 0x20) <= 'f') {
        v = static_cast<uint32_t>((h | 0x20) - 'a' + 10);
      } else {
        return false;
      }
      cp = cp * 16 + v;
    }
    return cp <= kMaxCodePoint && !(cp >= 0xD800 && cp <= 0xDFFF);
  }

  // After '\': a class escape (\d \w \s \p{Han} and negations) or a single character.
  bool parse_escape(Ranges& ranges, bool& negate, bool in_class) {
    ++pos_;  // the backslash
    if (at_end()) {
      fail("pattern ends with '\\'");
      return false;
    }
    const char e = src_[pos_++];
    switch (e) {
      case 'd': ranges = kDigits; return true;
      case 'D': ranges = kDigits; negate = true; return true;
      case 'w': ranges = kWord; return true;
      case 'W': ranges = kWord; negate = true; return true;
      case 's': ranges = kSpace; return true;
      case 'S': ranges = kSpace; negate = true; return true;
      case 'p': case 'P':
        if (src_.substr(pos_, 5) != "{Han}") {
          fail("only \\p{Han} is supported");
          return false;
        }
        pos_ += 5;
        ranges = kHan;
        negate = e == 'P';
        return true;
      case 'n': ranges = {{'\n', '\n'}}; return true;
      case 't': ranges = {{'\t', '\t'}}; return true;
      case 'r': ranges = {{'\r', '\r'}}; return true;
      case 'f': ranges = {{'\f', '\f'}}; return true;
      case 'v': ranges = {{'\v', '\v'}}; return true;
      case 'u': {
        uint32_t cp = 0;
        if (peek() == '{') {
          const size_t close = src_.find('}', pos_);
          if (close == std::string_view::npos || !hex_value(pos_ + 1, close - pos_ - 1, cp)) {
            fail("bad \\u{...} escape");
            return false;
          }
          pos_ = close + 1;
        } else {
          if (!hex_value(pos_, 4, cp)) {
            fail("bad \\uXXXX escape");
            return false;
          }
          pos_ += 4;
        }
        ranges = {{cp, cp}};
        return true;
      }
      default:
        break;
    }
    // Escaped punctuation stands for itself; escaped letters and digits are reserved.
    const auto b = static_cast<uint8_t>(e);
    if (b < 0x80 && !((b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))) {
      ranges = {{b, b}};
      return true;
    }
    --pos_;
    fail(in_class ? "unknown escape in class" : "unknown escape");
    return false;
  }

  int parse_class() {
    ++pos_;  // '['
    bool negate = false;
    if (peek() == '^') {
      negate = true;
      ++pos_;
    }
    Ranges ranges;
    bool first = true;
    while (true) {
      if (at_end()) return fail("'[' without ']'");
      if (peek() == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      uint32_t lo;
      if (peek() == '\\') {
        Ranges esc;
        bool esc_negate = false;
        if (!parse_escape(esc, esc_negate, true)) return -1;
        if (esc_negate) esc = complement([&] { Ranges r = esc; normalize_ranges(r); return r; }());
        if (esc.size() != 1 || esc[0].first != esc[0].second) {
          ranges.insert(ranges.end(), esc.begin(), esc.end());
          continue;
        }
        lo = esc[0].first;
      } else if (!literal(lo)) {
        return -1;
      }
      uint32_t hi = lo;
      if (peek() == '-' && pos_ + 1 < src_.size() && src_[pos_ + 1] != ']') {
        ++pos_;
        if (peek() == '\\') {
          Ranges esc;
          bool esc_negate = false;
          if (!parse_escape(esc, esc_negate, true)) return -1;
          if (esc_negate || esc.size() != 1 || esc[0].first != esc[0].second) return fail("bad class range");
          hi = esc[0].first;
        } else if (!literal(hi)) {
          return -1;
        }
        if (hi < lo) return fail("class range out of order");
      }
      ranges.push_back({lo, hi});
    }
    return add_class(std::move(ranges), negate);
  }

  bool nullable(int id) const {
    const Node& node = nodes_[static_cast<size_t>(id)];
    switch (node.kind) {
      case Kind::empty: case Kind::assertion: return true;
      case Kind::klass: return false;
      case Kind::concat:
        for (int kid : node.kids) {
          if (!nullable(kid)) return false;
        }
        return true;
      case Kind::alt:
        for (int kid : node.kids) {
          if (nullable(kid)) return true;
        }
        return false;
      case Kind::repeat: return node.min == 0 || nullable(node.kids[0]);
    }
    return true;
  }

  uint32_t here() const { return static_cast<uint32_t>(pattern_.program_.size()); }

  bool push(Pattern::Inst inst) {
    if (pattern_.program_.size() >= kMaxPatternInstructions + 1) return false;
    pattern_.program_.push_back(inst);
    return true;
  }

  bool emit(int id) {
    const Node& node = nodes_[static_cast<size_t>(id)];
    switch (node.kind) {
      case Kind::empty:
        return true;
      case Kind::klass:
        return push({Pattern::Op::klass, {}, node.klass, 0});
      case Kind::assertion: {
        const uint32_t next = here() + 1;
        return push({Pattern::Op::assert_pos, node.assertion, next, 0});
      }
      case Kind::concat:
        for (int kid : node.kids) {
          if (!emit(kid)) return false;
        }
        return true;
      case Kind::alt: {
        // split L1, next; L1: a; jump end; next: split L2, next2; ... last branch falls through.
        std::vector<uint32_t> jumps;
        for (size_t i = 0; i < node.kids.size(); ++i) {
          const bool last = i + 1 == node.kids.size();
          uint32_t split_at = 0;
          if (!last) {
            split_at = here();
            if (!push({Pattern::Op::split, {}, split_at + 1, 0})) return false;
          }
          if (!emit(node.kids[i])) return false;
          if (!last) {
            jumps.push_back(here());
            if (!push({Pattern::Op::jump, {}, 0, 0})) return false;
            pattern_.program_[split_at].y = here();
          }
        }
        for (uint32_t j : jumps) pattern_.program_[j].x = here();
        return true;
      }
      case Kind::repeat: {
        const int kid = node.kids[0];
        for (int i = 0; i < node.min; ++i) {
          if (!emit(kid)) return false;
        }
        if (node.max == kUnbounded) {
          // loop: split body, out; body; jump loop
          const uint32_t loop = here();
          if (!push({Pattern::Op::split, {}, loop + 1, 0})) return false;
          if (!emit(kid)) return false;
          if (!push({Pattern::Op::jump, {}, loop, 0})) return false;
          pattern_.program_[loop].y = here();
          return true;
        }
        std::vector<uint32_t> splits;
        for (int i = node.min; i < node.max; ++i) {
          splits.push_back(here());
          if (!push({Pattern::Op::split, {}, here() + 1, 0})) return false;
          if (!emit(kid)) return false;
        }
        for (uint32_t sp : splits) pattern_.program_[sp].y = here();
        return true;
      }
    }
    return false;
  }

  void mark_lead_bytes(std::vector<bool>& first, const Ranges& ranges) const {
    struct Band {
      uint32_t lo, hi, shift, prefix;
    };
    static constexpr Band kBands[] = {
        {0, 0x7F, 0, 0}, {0x80, 0x7FF, 6, 0xC0}, {0x800, 0xFFFF, 12, 0xE0}, {0x10000, kMaxCodePoint, 18, 0xF0}};
    for (const Range& r : ranges) {
      for (const Band& band : kBands) {
        const uint32_t lo = std::max(r.first, band.lo);
        const uint32_t hi = std::min(r.second, band.hi);
        if (lo > hi) continue;
        for (uint32_t lead = band.prefix | (lo >> band.shift); lead <= (band.prefix | (hi >> band.shift)); ++lead) {
          first[lead] = true;
        }
      }
    }
  }

  void compute_first_bytes() {
    std::vector<bool> first(256, false);
    std::vector<bool> seen(pattern_.program_.size(), false);
    std::vector<uint32_t> stack{0};
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (seen[pc]) continue;
      seen[pc] = true;
      const Pattern::Inst& inst = pattern_.program_[pc];
      switch (inst.op) {
        case Pattern::Op::klass: mark_lead_bytes(first, pattern_.classes_[inst.x].ranges); break;
        case Pattern::Op::split: stack.push_back(inst.x); stack.push_back(inst.y); break;
        case Pattern::Op::jump: case Pattern::Op::assert_pos: stack.push_back(inst.x); break;
        case Pattern::Op::match: break;
      }
    }
    pattern_.first_byte_ = std::move(first);
  }

  std::string_view src_;
  bool ignore_case_;
  size_t pos_ = 0;
  std::string error_;
  std::vector<Node> nodes_;
  Pattern pattern_;
};

Result<Pattern> Pattern::compile(std::string_view source, bool ignore_case) {
  return PatternCompiler(source, ignore_case).compile();
}

// ---- the Pike VM ---------------------------------------------------------------------------

bool Pattern::search(std::string_view text, uint32_t from, uint32_t& start, uint32_t& end, Scratch& sc) const {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<uint32_t>(text.size());
  const size_t m = program_.size();
  if (sc.mark.size() != m) {
    sc.mark.assign(m, 0);
    sc.generation = 0;
  }
  sc.clist_pc.clear();
  sc.clist_start.clear();
  bool found = false;
  uint32_t best_start = 0;
  uint32_t best_end = 0;

  auto holds = [&](Assertion a, uint32_t p) {
    const bool before = p > 0 && is_word_byte(s[p - 1]);
    const bool after = p < n && is_word_byte(s[p]);
    switch (a) {
      case Assertion::word_boundary: return before != after;
      case Assertion::not_word_boundary: return before == after;
      case Assertion::text_start: return p == 0;
      case Assertion::text_end: return p == n;
    }
    return false;
  };
  // Adds the epsilon closure of pc to a list for a thread that started at thread_start and
  // stands at p. The first (earliest-start) thread to reach a state keeps it.
  auto add = [&](std::vector<uint32_t>& list_pc, std::vector<uint32_t>& list_start, uint32_t pc0,
                 uint32_t thread_start, uint32_t p) {
    sc.stack.clear();
    sc.stack.push_back(pc0);
    while (!sc.stack.empty()) {
      const uint32_t pc = sc.stack.back();
      sc.stack.pop_back();
      if (sc.mark[pc] == sc.generation) continue;
      sc.mark[pc] = sc.generation;
      const Inst& inst = program_[pc];
      switch (inst.op) {
        case Op::klass:
          list_pc.push_back(pc);
          list_start.push_back(thread_start);
          break;
        case Op::split:
          sc.stack.push_back(inst.y);
          sc.stack.push_back(inst.x);
          break;
        case Op::jump:
          sc.stack.push_back(inst.x);
          break;
        case Op::assert_pos:
          if (holds(inst.assertion, p)) sc.stack.push_back(inst.x);
          break;
        case Op::match:
          if (!found || thread_start < best_start || (thread_start == best_start && p > best_end)) {
            found = true;
            best_start = thread_start;
            best_end = p;
          }
          break;
      }
    }
  };
  auto next_generation = [&] {
    if (++sc.generation == 0) {  // wrapped: reset marks
      std::fill(sc.mark.begin(), sc.mark.end(), 0);
      sc.generation = 1;
    }
  };

  uint32_t p = from;
  next_generation();
  while (true) {
    if (!found) {
      if (sc.clist_pc.empty()) {
        while (p < n && !first_byte_[s[p]]) ++p;
        if (p >= n) break;
        next_generation();
      }
      add(sc.clist_pc, sc.clist_start, 0, p, p);
    }
    if (sc.clist_pc.empty() || p >= n) break;
    const Decoded d = decode_utf8(s + p, n - p);
    const uint32_t next = p + d.len;
    next_generation();
    sc.nlist_pc.clear();
    sc.nlist_start.clear();
    for (size_t i = 0; i < sc.clist_pc.size(); ++i) {
      const uint32_t thread_start = sc.clist_start[i];
      if (found && thread_start > best_start) break;  // the list is ordered by start
      if (next - thread_start > kMaxMatchBytes) continue;
      const Inst& inst = program_[sc.clist_pc[i]];
      if (classes_[inst.x].matches(d.cp)) add(sc.nlist_pc, sc.nlist_start, sc.clist_pc[i] + 1, thread_start, next);
    }
    sc.clist_pc.swap(sc.nlist_pc);
    sc.clist_start.swap(sc.nlist_start);
    p = next;
  }
  if (!found) return false;
  start = best_start;
  end = best_end;
  return true;
}

}  // namespace sealdesk::pii::detail
