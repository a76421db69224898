// pixel_codes.cpp - code hashes on a grid, evaluated row by row with Eigen.
#include "pixel_codes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace splinescope {

Rgb tile_colour(CodeHash h) {
  // One well-mixed 32-bit word from both halves, then hue / saturation / value from its bits.
  const std::uint32_t m = mix32(h.lo ^ mix32(h.hi ^ 0x5bd1e995U));
  const float hue = static_cast<float>(m & 0xffffU) / 65536.0f;
  const float sat = 0.30f + 0.30f * static_cast<float>((m >> 16) & 0xffU) / 255.0f;
  const float val = 0.80f + 0.17f * static_cast<float>((m >> 24) & 0xffU) / 255.0f;
  // HSV to RGB, the smooth formula the shader uses (no branches).
  auto channel = [&](float offset) {
    float k = std::fmod(hue * 6.0f + offset, 6.0f);
    float t = std::min(std::max(std::min(k, 4.0f - k), 0.0f), 1.0f);
    return val - val * sat * t;
  };
  return Rgb{channel(5.0f), channel(3.0f), channel(1.0f)};
}

void to_hex(Rgb c, char out[8]) {
  auto byte = [](float v) {
    return static_cast<int>(std::lround(std::min(std::max(v, 0.0f), 1.0f) * 255.0f));
  };
  std::snprintf(out, 8, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
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

std::vector<CodeHash> pixel_code_hashes(const Network& net_in, const Window& window, int width,
                                        int height, int layers) {
  if (net_in.input_dim != 2) throw std::invalid_argument("pixel codes need a 2-D input");
  if (width < 1 || height < 1 || static_cast<long long>(width) * height > (1LL << 26))
    throw std::invalid_argument("pixel grid size out of range");
  const Network net = net_in.folded();
  const int L = net.hidden_layers();
  if (layers < 0 || layers > L) layers = L;

  // Keys of every neuron, precomputed once: (lo, hi) per global neuron index.
  std::vector<CodeHash> keys(net.hidden_neurons());
  for (std::size_t k = 0; k < keys.size(); ++k) keys[k] = neuron_key(static_cast<std::uint32_t>(k));

  std::vector<CodeHash> out(static_cast<std::size_t>(width) * height);
  Eigen::MatrixXd X(2, width); // (2, W) one row of pixel centres
  for (int i = 0; i < width; ++i) X(0, i) = window.x0 + (i + 0.5) / width * window.width();
  Eigen::MatrixXd Z, H;
  for (int j = 0; j < height; ++j) {
    X.row(1).setConstant(window.y1 - (j + 0.5) / height * window.height());
    CodeHash* row = &out[static_cast<std::size_t>(j) * width];
    Z = X;
    int neuron = 0;
    for (int l = 0; l < layers; ++l) {
      const Layer& layer = net.layers[l];
      H.noalias() = layer.W * Z; // (n_l, W)
      H.colwise() += layer.b;
      if (layer.activation != Activation::linear) {
        for (int p = 0; p < width; ++p) {
          for (Eigen::Index k = 0; k < H.rows(); ++k) {
            if (H(k, p) > 0) {
              row[p].lo ^= keys[neuron + k].lo;
              row[p].hi ^= keys[neuron + k].hi;
            }
          }
        }
      }
      neuron += layer.width();
      for (Eigen::Index p = 0; p < H.size(); ++p)
        H.data()[p] *= activation_slope(layer.activation, layer.alpha, H.data()[p]);
      Z.swap(H);
    }
  }
  return out;
}

} // namespace splinescope
