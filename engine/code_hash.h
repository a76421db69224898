// code_hash.h - the 64-bit hash of an activation code, and the tile colour derived from it.
//
// The fragment shader (shaders/code_hash.glsl) computes the same hash bit for bit, so pixels, exact
// tiles and exported SVGs show one colour per code. GLSL ES 3.00 has no 64-bit integers, hence two
// 32-bit halves.
//
// Definition:
//   mix32(x)         = lowbias32 (Wellons): x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15;
//                      x *= 0x846ca68b; x ^= x >> 16
//   key(k)           = (mix32(2k + 1), mix32(2k + 2))            for neuron k (global numbering)
//   hash(code)       = XOR of key(k) over the neurons k whose bit is 1
// The hash of layers 1..l only is the same XOR restricted to the neurons of those layers, so the
// shader builds it incrementally while it evaluates the network. Two neighbouring tiles differ in
// one neuron, so their hashes differ by a whole 64-bit key and their colours are unrelated.
#pragma once

#include <cstdint>

namespace splinescope {

struct CodeHash {
  std::uint32_t lo = 0;
  std::uint32_t hi = 0;

  std::uint64_t value() const { return (std::uint64_t{hi} << 32) | lo; }
  bool operator==(const CodeHash& o) const { return lo == o.lo && hi == o.hi; }
  bool operator!=(const CodeHash& o) const { return !(*this == o); }
  bool operator<(const CodeHash& o) const { return value() < o.value(); }
};

constexpr std::uint32_t mix32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

constexpr CodeHash neuron_key(std::uint32_t neuron) {
  return CodeHash{mix32(2U * neuron + 1U), mix32(2U * neuron + 2U)};
}

inline void toggle(CodeHash& h, std::uint32_t neuron) {
  const CodeHash k = neuron_key(neuron);
  h.lo ^= k.lo;
  h.hi ^= k.hi;
}

struct Rgb {
  float r = 0, g = 0, b = 0;
};

// The tile colour of a hash: a light, moderately saturated hue, so that edges, the decision
// boundary and data points drawn over it stay readable. Twin of tile_colour() in the shader.
Rgb tile_colour(CodeHash h);

// Colouring by the codes of layers 1..d of L (d < L, "layers coloured"): a tile's colour is its
// parent's in the layer-(d-1) tiling, varied by its own layer's bits, so each layer reads as a
// refinement of the last. The family starts as the layer-1 tile's tile_colour() (so d = 1 gives
// the code-hash colours), and layer l >= 2 moves its hue by up to +-0.03 / (l - 1) of a turn,
// its saturation by up to 0.12 / (l - 1) and its value by up to 0.18 / (l - 1), from the hash of
// that layer's bits alone (the XOR of their keys; 0 for a layer whose bits are all 0, or a
// linear layer). Twin of refine_family() in shaders/code_hash.glsl. The full network's colours
// stay tile_colour() of the whole code's hash.
struct TileFamily {
  float hue = 0, sat = 0, val = 0; // hue in turns
  int layers = 0;                  // layers refined into it so far
};
void refine_family(TileFamily& family, CodeHash layer_hash);
Rgb family_colour(const TileFamily& family);
// "#rrggbb"
void to_hex(Rgb c, char out[8]);
// The colour moved `wash` (0..1) of the way to white: the light theme's lighter tiles. Twin of
// the u_wash step in shaders/colour_modes.glsl.
inline Rgb washed(Rgb c, float wash) {
  return Rgb{c.r + wash * (1.0f - c.r), c.g + wash * (1.0f - c.g), c.b + wash * (1.0f - c.b)};
}

// The colour of the edges made by hidden layer `layer` (0-based): the Okabe-Ito palette, safe for
// colour-blind readers, in an order that puts the hues that read best over the light tile
// colours first (blue, vermillion, bluish green, reddish purple, orange, sky blue, black,
// yellow); deeper layers repeat it. shaders/tiles.frag holds the same table.
constexpr int kLayerColours = 8;
Rgb layer_colour(int layer);

} // namespace splinescope
