// pixel_codes.cpp - code hashes on a grid, evaluated row by row with Eigen.
#include "pixel_codes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace splinescope {

namespace {
// HSV to RGB, the smooth formula the shader uses (no branches). hue in turns, in [0, 1).
Rgb hsv_to_rgb(float hue, float sat, float val) {
  auto channel = [&](float offset) {
    float k = std::fmod(hue * 6.0f + offset, 6.0f);
    float t = std::min(std::max(std::min(k, 4.0f - k), 0.0f), 1.0f);
    return val - val * sat * t;
  };
  return Rgb{channel(5.0f), channel(3.0f), channel(1.0f)};
}

// One well-mixed 32-bit word from both halves of a hash.
std::uint32_t hash_word(CodeHash h) { return mix32(h.lo ^ mix32(h.hi ^ 0x5bd1e995U)); }

// A byte of m as a number in [-1, 1].
float signed_byte(std::uint32_t m, int shift) {
  return static_cast<float>((m >> shift) & 0xffU) / 127.5f - 1.0f;
}
} // namespace

void refine_family(TileFamily& f, CodeHash layer_hash) {
  const std::uint32_t m = hash_word(layer_hash);
  if (f.layers == 0) {
    // Hue, saturation and value from the word's bits: tile_colour() of the layer-1 hash.
    f.hue = static_cast<float>(m & 0xffffU) / 65536.0f;
    f.sat = 0.30f + 0.30f * static_cast<float>((m >> 16) & 0xffU) / 255.0f;
    f.val = 0.80f + 0.17f * static_cast<float>((m >> 24) & 0xffU) / 255.0f;
  } else {
    const float a = 1.0f / static_cast<float>(f.layers); // deeper layers vary less
    const float hue = f.hue + 0.03f * a * signed_byte(m, 0);
    f.hue = hue - std::floor(hue);
    f.sat = std::min(std::max(f.sat + 0.12f * a * signed_byte(m, 8), 0.2f), 0.75f);
    f.val = std::min(std::max(f.val + 0.18f * a * signed_byte(m, 16), 0.55f), 0.98f);
  }
  ++f.layers;
}

Rgb family_colour(const TileFamily& f) { return hsv_to_rgb(f.hue, f.sat, f.val); }

Rgb tile_colour(CodeHash h) {
  TileFamily f;
  refine_family(f, h);
  return family_colour(f);
}

void to_hex(Rgb c, char out[8]) {
  auto byte = [](float v) {
    return static_cast<int>(std::lround(std::min(std::max(v, 0.0f), 1.0f) * 255.0f));
  };
  std::snprintf(out, 8, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
}

Rgb layer_colour(int layer) {
  static constexpr Rgb kOkabeIto[kLayerColours] = {
      {0x00 / 255.0f, 0x72 / 255.0f, 0xb2 / 255.0f}, {0xd5 / 255.0f, 0x5e / 255.0f, 0x00 / 255.0f},
      {0x00 / 255.0f, 0x9e / 255.0f, 0x73 / 255.0f}, {0xcc / 255.0f, 0x79 / 255.0f, 0xa7 / 255.0f},
      {0xe6 / 255.0f, 0x9f / 255.0f, 0x00 / 255.0f}, {0x56 / 255.0f, 0xb4 / 255.0f, 0xe9 / 255.0f},
      {0x00 / 255.0f, 0x00 / 255.0f, 0x00 / 255.0f}, {0xf0 / 255.0f, 0xe4 / 255.0f, 0x42 / 255.0f}};
  return kOkabeIto[((layer % kLayerColours) + kLayerColours) % kLayerColours];
}

Rgb layered_tile_colour(const Code& code, const std::vector<int>& widths, int layers) {
  if (layers < 0) return tile_colour(code_hash(code));
  TileFamily family;
  int first = 0;
  for (int l = 0; l < std::min(layers, static_cast<int>(widths.size())); ++l) {
    CodeHash h;
    for (int k = 0; k < widths[l]; ++k)
      if (code.bit(first + k)) toggle(h, static_cast<std::uint32_t>(first + k));
    refine_family(family, h);
    first += widths[l];
  }
  return family_colour(family);
}

CodeHash code_hash(const Code& code, int neurons) {
  if (neurons < 0 || neurons > kMaxHiddenNeurons) neurons = kMaxHiddenNeurons;
  CodeHash h;
  for (int w = 0; w * 64 < neurons; ++w) {
    std::uint64_t bits = code.words[w];
    const int remaining = neurons - w * 64;
    if (remaining < 64) bits &= (std::uint64_t{1} << remaining) - 1;
    while (bits) {
      const int b = __builtin_ctzll(bits);
      bits &= bits - 1;
      toggle(h, static_cast<std::uint32_t>(w * 64 + b));
    }
  }
  return h;
}

std::vector<CodeHash> pixel_code_hashes_direct(const Network& net_in, const Window& window,
                                               int width, int height, int layers) {
  if (net_in.input_dim != 2) throw std::invalid_argument("pixel codes need a 2-D input");
  if (width < 1 || height < 1 || static_cast<long long>(width) * height > (1LL << 26))
    throw std::invalid_argument("pixel grid size out of range");
  const Network net = net_in.folded();
  const int L = net.hidden_layers();
  if (layers < 0 || layers > L) layers = L;

  // XOR tables: for every group of 8 consecutive neurons of a layer, the XOR of the keys of each
  // of the 256 on/off patterns of the group. A point's hash is then one lookup per 8 neurons.
  std::vector<int> group_offset(layers + 1, 0); // first group of each layer
  for (int l = 0; l < layers; ++l)
    group_offset[l + 1] = group_offset[l] + (net.layers[l].width() + 7) / 8;
  std::vector<CodeHash> tables(static_cast<std::size_t>(group_offset[layers]) * 256);
  for (int l = 0, neuron = 0; l < layers; neuron += net.layers[l].width(), ++l) {
    if (net.layers[l].activation == Activation::linear) continue; // no bits: tables stay zero
    for (int g = 0; g * 8 < net.layers[l].width(); ++g) {
      CodeHash* table = &tables[static_cast<std::size_t>(group_offset[l] + g) * 256];
      const int in_group = std::min(8, net.layers[l].width() - g * 8);
      for (int pattern = 1; pattern < 256; ++pattern) {
        if (pattern >> in_group) continue;
        const int low = __builtin_ctz(pattern);
        table[pattern] = table[pattern & (pattern - 1)];
        const CodeHash key = neuron_key(static_cast<std::uint32_t>(neuron + g * 8 + low));
        table[pattern].lo ^= key.lo;
        table[pattern].hi ^= key.hi;
      }
    }
  }

  std::vector<CodeHash> out(static_cast<std::size_t>(width) * height);
  // Blocks of whole rows, about 4096 points each, so the matrix products are large enough to run
  // at full speed and the per-point loops below stay branch-free.
  const int rows_per_block = std::max(1, 4096 / width);
  Eigen::MatrixXd Z, H; // (n_l, points of the block)
  for (int j0 = 0; j0 < height; j0 += rows_per_block) {
    const int rows = std::min(rows_per_block, height - j0);
    const Eigen::Index n = static_cast<Eigen::Index>(rows) * width;
    Z.resize(2, n);
    for (int r = 0; r < rows; ++r) {
      const double y = window.y1 - (j0 + r + 0.5) / height * window.height();
      for (int i = 0; i < width; ++i) {
        Z(0, r * width + i) = window.x0 + (i + 0.5) / width * window.width();
        Z(1, r * width + i) = y;
      }
    }
    CodeHash* block = &out[static_cast<std::size_t>(j0) * width];
    for (int l = 0; l < layers; ++l) {
      const Layer& layer = net.layers[l];
      H = layer.b.replicate(1, n); // the product accumulates onto the bias: no separate zero fill
      H.noalias() += layer.W * Z;
      const int width_l = static_cast<int>(H.rows());
      if (layer.activation != Activation::linear) {
        const int groups = (width_l + 7) / 8;
        const CodeHash* layer_tables = &tables[static_cast<std::size_t>(group_offset[l]) * 256];
        for (Eigen::Index p = 0; p < n; ++p) {
          const double* h = H.data() + p * width_l;
          std::uint32_t lo = block[p].lo, hi = block[p].hi;
          for (int g = 0; g < groups; ++g) {
            const int end = std::min(8, width_l - g * 8);
            unsigned pattern = 0;
            for (int k = 0; k < end; ++k) pattern |= static_cast<unsigned>(h[g * 8 + k] > 0) << k;
            const CodeHash& t = layer_tables[g * 256 + pattern];
            lo ^= t.lo;
            hi ^= t.hi;
          }
          block[p] = CodeHash{lo, hi};
        }
      }
      switch (layer.activation) {
      case Activation::relu: Z = H.cwiseMax(0.0); break;
      case Activation::leaky_relu: {
        const double alpha = layer.alpha;
        Z = H.unaryExpr([alpha](double h) { return h > 0 ? h : alpha * h; });
        break;
      }
      case Activation::abs: Z = H.cwiseAbs(); break;
      case Activation::linear: Z.swap(H); break;
      }
    }
  }
  return out;
}

} // namespace splinescope
