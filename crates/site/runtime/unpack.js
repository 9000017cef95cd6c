/* The LZMA decoder of the runtime's bootstrap (see pack.rs): `didactUnpack(src)` reads a `.lzma`
   stream (13-byte header: properties, dictionary size, a known 64-bit size; no end marker) from
   the Uint8Array `src` and returns the bytes. Throws on a stream it cannot read (bad header,
   distance or length, cut short, or not ending where its size says). Follows the
   reference decoder of the LZMA SDK (LzmaSpec.cpp); the dictionary is the output itself. */
function didactUnpack(src) {
  "use strict";
  var props = src[0];
  if (props >= 225) throw new Error("lzma: bad properties");
  var lc = props % 9, lp = ((props / 9) | 0) % 5, pb = (props / 45) | 0;
  var size = (src[5] | src[6] << 8 | src[7] << 16) + src[8] * 16777216;
  if (src[9] | src[10] | src[11] | src[12]) throw new Error("lzma: size unknown or too large");
  var out = new Uint8Array(size);
  var pos = 14, range = 0xffffffff, code = 0, i;
  if (src[13] !== 0) throw new Error("lzma: bad stream");
  for (i = 0; i < 4; i++) code = (code * 256 + src[pos++]) >>> 0;
  // All probabilities in one array (11-bit, start at one half); offsets of each group.
  var IS_MATCH = 0, IS_REP = 192, IS_REP_G0 = 204, IS_REP_G1 = 216, IS_REP_G2 = 228,
    IS_REP0_LONG = 240, POS_SLOT = 432, SPEC_POS = 688, ALIGN = 802, LEN = 818,
    REP_LEN = LEN + 514, LITERAL = REP_LEN + 514;
  var probs = new Uint16Array(LITERAL + (0x300 << (lc + lp)));
  probs.fill(1024);
  function bit(at) {
    var p = probs[at], bound = (range >>> 11) * p, res;
    if (code < bound) {
      range = bound;
      probs[at] = p + ((2048 - p) >>> 5);
      res = 0;
    } else {
      range -= bound;
      code -= bound;
      probs[at] = p - (p >>> 5);
      res = 1;
    }
    if (range < 16777216) {
      range = (range * 256) >>> 0;
      code = (code * 256 + src[pos++]) >>> 0;
    }
    return res;
  }
  function tree(at, bits) {
    var m = 1;
    for (var j = 0; j < bits; j++) m = (m << 1) | bit(at + m);
    return m - (1 << bits);
  }
  function reverse(at, bits) {
    var m = 1, res = 0;
    for (var j = 0; j < bits; j++) {
      var b = bit(at + m);
      m = (m << 1) | b;
      res |= b << j;
    }
    return res;
  }
  // A length coder: choice, choice 2, 16 low trees of 8, 16 mid trees of 8, one high tree of 256.
  function length(at, posState) {
    if (!bit(at)) return tree(at + 2 + posState * 8, 3);
    if (!bit(at + 1)) return 8 + tree(at + 130 + posState * 8, 3);
    return 16 + tree(at + 258, 8);
  }
  var state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0, n = 0;
  var pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1;
  while (n < size) {
    var posState = n & pbMask;
    if (!bit(IS_MATCH + (state << 4) + posState)) {
      var prev = n > 0 ? out[n - 1] : 0;
      var base = LITERAL + 0x300 * (((n & lpMask) << lc) + (prev >>> (8 - lc)));
      var symbol = 1;
      if (state >= 7) {
        var match = out[n - rep0 - 1];
        do {
          var matchBit = (match >>> 7) & 1;
          match <<= 1;
          var b = bit(base + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | b;
          if (matchBit !== b) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | bit(base + symbol);
      out[n++] = symbol - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    var len;
    if (bit(IS_REP + state)) {
      if (n === 0) throw new Error("lzma: bad stream");
      if (!bit(IS_REP_G0 + state)) {
        if (!bit(IS_REP0_LONG + (state << 4) + posState)) {
          state = state < 7 ? 9 : 11;
          out[n] = out[n - rep0 - 1];
          n++;
          continue;
        }
      } else {
        var dist;
        if (!bit(IS_REP_G1 + state)) {
          dist = rep1;
        } else {
          if (!bit(IS_REP_G2 + state)) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = length(REP_LEN, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(LEN, posState);
      state = state < 7 ? 7 : 10;
      var slot = tree(POS_SLOT + ((len < 3 ? len : 3) << 6), 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        var direct = (slot >>> 1) - 1;
        // Up to 3 * 2^30 (slot 63), past the 32-bit integers of `<<`: multiply. The end
        // marker's distance, 2^32 - 1, is then refused below like any distance too far back.
        rep0 = (2 | (slot & 1)) * Math.pow(2, direct);
        if (slot < 14) {
          rep0 += reverse(SPEC_POS + rep0 - slot - 1, direct);
        } else {
          var high = 0;
          for (i = 0; i < direct - 4; i++) {
            range >>>= 1;
            var take = code >= range ? 1 : 0;
            if (take) code -= range;
            high = high * 2 + take;
            if (range < 16777216) {
              range = (range * 256) >>> 0;
              code = (code * 256 + src[pos++]) >>> 0;
            }
          }
          rep0 += high * 16 + reverse(ALIGN, 4);
        }
      }
      if (rep0 >= n) throw new Error("lzma: bad distance");
    }
    len += 2;
    if (len > size - n) throw new Error("lzma: bad length");
    for (; len > 0; len--, n++) out[n] = out[n - rep0 - 1];
  }
  // A stream cut short read `undefined` as zeros: refuse it. A complete one leaves the range
  // decoder's code at 0 (the reference decoder's check when there is no end marker).
  if (pos > src.length) throw new Error("lzma: truncated stream");
  if (code !== 0) throw new Error("lzma: bad stream end");
  return out;
}
