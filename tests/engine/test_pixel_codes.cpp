// Pixel code hashes from the rasterised tessellation against the brute-force oracle: the code of
// every pixel centre from a plain forward pass.
#include "geometry.h"
#include "pixel_codes.h"
#include "random.h"

#include <doctest/doctest.h>

using namespace splinescope;

namespace {

// The oracle: activation codes of every pixel centre, hashed over the first `layers` layers.
std::vector<CodeHash> brute_force(const Network& net, const Window& window, int W, int H, int layers) {
  Eigen::MatrixXd X(2, static_cast<Eigen::Index>(W) * H); // (2, pixels)
  for (int j = 0; j < H; ++j)
    for (int i = 0; i < W; ++i)
      X.col(static_cast<Eigen::Index>(j) * W + i) << window.x0 + (i + 0.5) / W * window.width(),
          window.y1 - (j + 0.5) / H * window.height();
  const std::vector<Code> codes = activation_codes(net, X);
  const int L = net.hidden_layers();
  const int neurons = layers < 0 || layers >= L ? net.hidden_neurons() : net.neuron_offset(layers);
  std::vector<CodeHash> out;
  for (const Code& c : codes) out.push_back(code_hash(c, neurons));
  return out;
}

Network make(std::vector<int> hidden, Activation act, std::uint64_t seed) {
  NetworkSpec spec;
  spec.hidden = std::move(hidden);
  spec.activation = act;
  spec.leaky_alpha = 0.1;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  return make_network(spec, seed);
}

int differences(const std::vector<CodeHash>& a, const std::vector<CodeHash>& b) {
  int n = 0;
  for (std::size_t p = 0; p < a.size(); ++p) n += a[p] != b[p];
  return n;
}

} // namespace

TEST_CASE("rasterised pixel codes equal the codes of every pixel centre for every activation") {
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    const Network net = make({16, 16, 16}, act, 3 + static_cast<int>(act));
    const Window window{-3, 3, -2, 2.5};
    for (int layers : {1, 2, -1}) {
      INFO(to_string(act) << " layers " << layers);
      const auto fast = pixel_code_hashes(net, window, 257, 131, layers);
      CHECK(differences(fast, brute_force(net, window, 257, 131, layers)) == 0);
      CHECK(differences(fast, pixel_code_hashes_direct(net, window, 257, 131, layers)) == 0);
    }
  }
}

TEST_CASE("rasterised pixel codes stay exact when zoomed far in, far out and off centre") {
  const Network net = make({12, 12, 12, 12}, Activation::relu, 21);
  for (const Window& window : {Window{-1e-3, 1e-3, -1e-3, 1e-3}, Window{-80, 80, -60, 60},
                               Window{4.2, 4.7, -9.1, -8.8}, Window{-3, 3, -3, 3}}) {
    INFO(window.x0 << " " << window.x1);
    CHECK(differences(pixel_code_hashes(net, window, 200, 150),
                      brute_force(net, window, 200, 150, -1)) == 0);
  }
}

TEST_CASE("rasterised pixel codes handle linear layers, batch norm and several outputs") {
  NetworkSpec spec;
  spec.hidden = {10, 8, 6};
  spec.layer_activations = {Activation::relu, Activation::linear, Activation::abs};
  spec.batch_norm = true;
  spec.outputs = 3;
  spec.bias_init = BiasInit::normal;
  const Network net = make_network(spec, 8);
  const Window window{-2, 2, -2, 2};
  CHECK(differences(pixel_code_hashes(net, window, 128, 128),
                    brute_force(net, window, 128, 128, -1)) == 0);
}

TEST_CASE("pixel codes of more tiles than the grid resolves are still exact") {
  // A wide, deep network on a small grid: more than one tile per 16 pixels, so the tessellation
  // is given up for direct evaluation.
  const Network net = make({64, 64, 64}, Activation::relu, 5);
  const Window window{-3, 3, -3, 3};
  CHECK(differences(pixel_code_hashes(net, window, 64, 64), brute_force(net, window, 64, 64, -1)) == 0);
}

TEST_CASE("random networks and windows give exactly the brute-force pixel codes") {
  Rng rng(77);
  int tested = 0;
  for (int trial = 0; trial < 24; ++trial) {
    std::vector<int> hidden;
    const int depth = 1 + static_cast<int>(rng.uniform(0, 4));
    for (int l = 0; l < depth; ++l) hidden.push_back(2 + static_cast<int>(rng.uniform(0, 20)));
    const Network net = make(hidden, static_cast<Activation>(trial % 3), 1000 + trial);
    const double cx = rng.uniform(-3, 3), cy = rng.uniform(-3, 3), r = std::exp(rng.uniform(-4, 3));
    const Window window{cx - r, cx + r, cy - 0.7 * r, cy + 0.7 * r};
    const int W = 64 + static_cast<int>(rng.uniform(0, 200)), H = 64 + static_cast<int>(rng.uniform(0, 150));
    INFO("trial " << trial);
    CHECK(differences(pixel_code_hashes(net, window, W, H), brute_force(net, window, W, H, -1)) == 0);
    ++tested;
  }
  CHECK(tested == 24);
}

TEST_CASE("layer edge colours are the eight Okabe-Ito colours, distinct, repeating deeper") {
  const char* expected[kLayerColours] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                         "#e69f00", "#56b4e9", "#000000", "#f0e442"};
  for (int l = 0; l < kLayerColours; ++l) {
    char hex[8];
    to_hex(layer_colour(l), hex);
    CHECK(std::string(hex) == expected[l]);
    char again[8];
    to_hex(layer_colour(l + kLayerColours), again);
    CHECK(std::string(again) == expected[l]);
  }
}

namespace {
// Hue in turns of an RGB colour (the usual max/min formula), independent of TileFamily.
double hue_of(Rgb c) {
  const double mx = std::max({c.r, c.g, c.b}), mn = std::min({c.r, c.g, c.b}), d = mx - mn;
  if (d <= 0) return 0;
  double h = mx == c.r ? std::fmod((c.g - c.b) / d + 6.0, 6.0)
             : mx == c.g ? (c.b - c.r) / d + 2.0 : (c.r - c.g) / d + 4.0;
  return h / 6.0;
}
double hue_distance(Rgb a, Rgb b) {
  const double d = std::abs(hue_of(a) - hue_of(b));
  return std::min(d, 1.0 - d);
}
} // namespace

TEST_CASE("colouring by fewer layers keeps every tile in its parent tile's hue family") {
  const Network net = make({8, 8, 8, 8}, Activation::relu, 21);
  const Window window{-2, 2, -2, 2};
  std::vector<int> widths(4, 8);
  // Tilings of depth 1..3; each tile's parent is the tile of the shallower tiling at its centroid.
  std::vector<Tessellation> tilings;
  for (int depth = 1; depth <= 3; ++depth) {
    TessellationOptions options;
    options.layers = depth;
    tilings.push_back(tessellate(net, window, options));
    REQUIRE(tilings.back().ok());
  }
  double widest[3] = {0, 0, 0}; // largest hue step from parent to child, per depth
  int unrelated = 0, pairs = 0; // children whose plain code-hash colour strays from the parent
  for (int depth = 2; depth <= 3; ++depth) {
    const Tessellation& parent = tilings[depth - 2];
    const Tessellation& child = tilings[depth - 1];
    const TileLocator locate(parent);
    for (const Tile& tile : child.tiles) {
      const int p = locate.locate(tile.centroid);
      REQUIRE(p >= 0);
      const Rgb up = layered_tile_colour(parent.tiles[p].code, widths, depth - 1);
      const Rgb down = layered_tile_colour(tile.code, widths, depth);
      widest[depth - 1] = std::max(widest[depth - 1], hue_distance(up, down));
      // The plain hash of the same bits: colours unrelated to the parent's (as before).
      const Rgb plain = tile_colour(code_hash(tile.code, net.neuron_offset(depth)));
      unrelated += hue_distance(tile_colour(code_hash(parent.tiles[p].code, net.neuron_offset(depth - 1))), plain) > 0.05;
      ++pairs;
    }
  }
  // Layer 2 moves the hue by at most 0.03 of a turn, layer 3 by at most 0.015.
  CHECK(widest[1] <= 0.03 + 1e-6);
  CHECK(widest[2] <= 0.015 + 1e-6);
  CHECK(widest[1] > 0.005); // it does vary
  CHECK(unrelated > pairs / 2); // the oracle separates the two schemes
  // One layer of colouring is the code-hash colouring of that layer; the whole network's stays.
  for (const Tile& tile : tilings[0].tiles) {
    const Rgb a = layered_tile_colour(tile.code, widths, 1), b = tile_colour(code_hash(tile.code, 8));
    CHECK(a.r == b.r);
    CHECK(a.g == b.g);
    CHECK(a.b == b.b);
  }
  const Code code = tilings[2].tiles[0].code;
  const Rgb whole = layered_tile_colour(code, widths, -1), hashed = tile_colour(code_hash(code));
  CHECK((whole.r == hashed.r && whole.g == hashed.g && whole.b == hashed.b));
}

TEST_CASE("refined colours stay light enough for edges and points to read over them") {
  Rng rng(3);
  for (int i = 0; i < 20000; ++i) {
    TileFamily f;
    const int layers = 1 + i % 8;
    for (int l = 0; l < layers; ++l)
      refine_family(f, CodeHash{static_cast<std::uint32_t>(rng.next_u64()), static_cast<std::uint32_t>(rng.next_u64())});
    const Rgb c = family_colour(f);
    const double mx = std::max({c.r, c.g, c.b}), mn = std::min({c.r, c.g, c.b});
    REQUIRE(mx >= 0.55 - 1e-6);
    REQUIRE(mx <= 0.98 + 1e-6);
    REQUIRE((mx - mn) / mx >= 0.2 - 1e-5); // saturation
    REQUIRE(f.hue >= 0.0f);
    REQUIRE(f.hue < 1.0f);
  }
}
