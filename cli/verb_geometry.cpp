// verb_geometry.cpp - `splinescope tiles` and `splinescope count`: the exact tessellation of a
// window of the input plane, as SVG / JSON for figures, and as counts for scripts.
//
// A network with 1 input has no plane to tile: its window is an interval of the input line, cut
// exactly into the linear pieces of the network (geometry_1d.h). Both verbs load the network
// first, since its input dimension decides what --window means.
//
// Index
//   [SECTION] Inputs
//   [SECTION] Networks with 2 or more inputs: tiles of a rectangle
//   [SECTION] Networks with 1 input: pieces of an interval
//   [SECTION] Verbs
#include "verbs.h"

#include "geometry.h"
#include "geometry_1d.h"
#include "gzip_file.h"
#include "image_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

namespace splinescope::cli {

namespace {

constexpr int kMaxTiles = 2000000;

// -----------------------------------------------------------------------------------------------
// [SECTION] Inputs
// -----------------------------------------------------------------------------------------------

// What both geometries share: the network and the options that mean the same for both.
struct CommonInput {
  Network net;
  int max_tiles = 0;
  int layer = 0; // hidden layers 1..layer; 0: the whole network
};

CommonInput read_common(const Args& args) {
  CommonInput in;
  in.max_tiles = args.integer("max-tiles", 200000, 1, kMaxTiles);
  in.net = load_model(args.positionals().at(0)).net;
  in.layer = args.integer("layer", 0, 0, kMaxHiddenLayers);
  if (in.layer > in.net.hidden_layers())
    throw UsageError("--layer: the network has " + std::to_string(in.net.hidden_layers()) +
                     " hidden layers, got " + std::to_string(in.layer));
  return in;
}

// The median of sorted values; 0 for none.
double median_of_sorted(const std::vector<double>& v) {
  if (v.empty()) return 0;
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Networks with 2 or more inputs: tiles of a rectangle
// -----------------------------------------------------------------------------------------------

// The plane through three Fashion-MNIST images (--images a,b,c): x = a + u (b - a) + w (c - a).
struct SliceImages {
  Slice slice;
  std::vector<int> index;        // (3) indices of a, b, c in their set
  std::vector<int> label;        // (3) their classes
  std::vector<Eigen::Vector2d> at; // (3) their plane coordinates: (0, 0), (1, 0), (0, 1)
  bool test_set = false;         // indices into the test set, not the training set
};

struct GeometryInput {
  Network net;
  Window window;
  TessellationOptions options;
  std::optional<SliceImages> images; // tessellate this plane instead of the standard slice
};

SliceImages read_slice_images(const Args& args, const Network& net) {
  const std::vector<int> ids = args.integers("images", {}, 0, kMaxDatasetPoints, 3);
  if (ids.size() != 3)
    throw UsageError("--images: expected three image indices a,b,c, got " +
                     std::to_string(ids.size()));
  // Checked before 30 MB of images are read: Fashion-MNIST's images have 28 x 28 pixels.
  if (net.input_dim != 28 * 28)
    throw UsageError("--images: the network takes " + std::to_string(net.input_dim) +
                     (net.input_dim == 1 ? " input" : " inputs") +
                     "; the plane through Fashion-MNIST images needs one input per pixel (784)");
  SliceImages s;
  s.test_set = args.flag("test-set");
  ImageSplitResult data = read_fashion_mnist(args.text("data-dir", kFashionMnistDir));
  if (!data.ok) throw RuntimeError(data.error);
  const ImageSet& set = s.test_set ? data.images.test : data.images.train;
  if (net.input_dim != set.dim())
    throw RuntimeError("the images in the data directory have " + std::to_string(set.dim()) +
                       " pixels; the network takes " + std::to_string(net.input_dim) + " inputs");
  const char* name = s.test_set ? "test" : "training";
  std::vector<Eigen::VectorXd> x;
  for (int id : ids) {
    if (id >= set.size())
      throw UsageError("--images: there is no " + std::string(name) + " image " +
                       std::to_string(id) + " (they are 0.." + std::to_string(set.size() - 1) + ")");
    const std::size_t P = static_cast<std::size_t>(set.dim());
    Eigen::VectorXd v(set.dim()); // (784) pixels in [0, 1], as the network was trained on them
    for (std::size_t p = 0; p < P; ++p) v(static_cast<Eigen::Index>(p)) = set.pixels[id * P + p] / 255.0;
    x.push_back(std::move(v));
    s.index.push_back(id);
    s.label.push_back(set.labels[static_cast<std::size_t>(id)]);
  }
  s.slice = slice_through(x[0], x[1], x[2]);
  s.at = {Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 0), Eigen::Vector2d(0, 1)};
  return s;
}

// "class" names for messages and the JSON: Fashion-MNIST's for 10 classes.
std::string class_name(int k) {
  return k >= 0 && k < 10 ? fashion_mnist_class_names()[static_cast<std::size_t>(k)]
                          : std::to_string(k);
}

GeometryInput read_plane_input(const Args& args, CommonInput common) {
  GeometryInput in;
  // Through three images the triangle a, b, c is the unit one; the default window shows it with
  // a margin on every side.
  const Window defaults = args.has("images") ? Window{-0.25, 1.25, -0.25, 1.25} : Window{};
  const std::vector<double> w =
      args.numbers("window", {defaults.x0, defaults.x1, defaults.y0, defaults.y1}, 4);
  in.window = Window{w[0], w[1], w[2], w[3]};
  if (!(in.window.x1 > in.window.x0 && in.window.y1 > in.window.y0))
    throw UsageError("--window: expected x0 < x1 and y0 < y1");
  in.options.max_tiles = common.max_tiles;
  in.options.layers = common.layer == 0 ? -1 : common.layer;
  in.net = std::move(common.net);
  if (args.has("images")) in.images = read_slice_images(args, in.net);
  return in;
}

Tessellation tessellate_or_throw(const GeometryInput& in) {
  Tessellation tess = in.images ? tessellate(in.net, in.images->slice, window_polygon(in.window), in.options)
                                : tessellate(in.net, in.window, in.options);
  if (!tess.ok())
    throw RuntimeError(std::string("tessellation stopped (") + to_string(tess.status) +
                       "): " + tess.message);
  return tess;
}

// The three images' lines: where they sit, their class and the network's prediction there.
void print_images(const GeometryInput& in) {
  const SliceImages& s = *in.images;
  Eigen::MatrixXd P(2, 3); // (2, 3)
  for (int i = 0; i < 3; ++i) P.col(i) = s.at[static_cast<std::size_t>(i)];
  const Eigen::MatrixXd F = forward(in.net, to_input_space(s.slice, P)); // (C, 3)
  const char* names[3] = {"a", "b", "c"};
  for (int i = 0; i < 3; ++i) {
    Eigen::Index k = 0;
    if (F.rows() > 1) F.col(i).maxCoeff(&k);
    else k = F(0, i) > 0;
    std::printf("image_%s %s %d at %g,%g class %s predicted %s\n", names[i],
                s.test_set ? "test" : "train", s.index[static_cast<std::size_t>(i)],
                s.at[static_cast<std::size_t>(i)].x(), s.at[static_cast<std::size_t>(i)].y(),
                class_name(s.label[static_cast<std::size_t>(i)]).c_str(),
                class_name(static_cast<int>(k)).c_str());
  }
}

// tiles_to_json's document with the plane's description added under "slice".
std::string with_slice_json(const std::string& text, const GeometryInput& in) {
  const SliceImages& s = *in.images;
  nlohmann::json doc = nlohmann::json::parse(text);
  nlohmann::json images = nlohmann::json::array();
  for (std::size_t i = 0; i < 3; ++i)
    images.push_back({{"index", s.index[i]},
                      {"label", s.label[i]},
                      {"class", class_name(s.label[i])},
                      {"at", {s.at[i].x(), s.at[i].y()}}});
  doc["slice"] = {{"dataset", kImageDataset},
                  {"set", s.test_set ? "test" : "train"},
                  {"parameterisation", "x = a + u (b - a) + w (c - a), (u, w) the plane's coordinates"},
                  {"images", images}};
  return doc.dump();
}

// Checked after the inputs are read, in the order the verb has always reported problems.
void require_output(const std::string& svg_path, const std::string& json_path) {
  if (svg_path.empty() && json_path.empty())
    throw UsageError("nothing to write: give --svg FILE and/or --json FILE");
}

int run_plane_tiles(const Args& args, CommonInput common) {
  const GeometryInput in = read_plane_input(args, std::move(common));
  const std::string svg_path = args.text("svg", ""), json_path = args.text("json", "");
  require_output(svg_path, json_path);
  const Tessellation tess = tessellate_or_throw(in);
  const Contour boundary = decision_boundary(tess); // empty below full depth
  if (!svg_path.empty()) {
    SvgOptions options;
    options.colour_edges_by_layer = args.flag("edges-by-layer");
    options.width_px = args.integer("width", 800, 16, 16384);
    const std::string neuron = args.text("neuron", "");
    if (!neuron.empty()) {
      // "L.K": hidden layer L (1-based) and its unit K (0-based), as the app's neuron= key.
      int layer = 0, unit = -1;
      char rest = 0;
      if (std::sscanf(neuron.c_str(), "%d.%d%c", &layer, &unit, &rest) != 2)
        throw UsageError("--neuron: expected L.K (layer from 1, unit from 0), got \"" + neuron +
                         "\"");
      if (layer < 1 || layer > tess.depth)
        throw UsageError("--neuron: layer " + std::to_string(layer) + " is not among the " +
                         std::to_string(tess.depth) + " hidden layers tessellated");
      if (unit < 0 || unit >= tess.widths[layer - 1])
        throw UsageError("--neuron: layer " + std::to_string(layer) + " has units 0.." +
                         std::to_string(tess.widths[layer - 1] - 1) + ", got " +
                         std::to_string(unit));
      options.neuron = neuron_zero_set(tess, layer - 1, unit);
      if (options.neuron.empty())
        std::fprintf(stderr, "note: neuron %s does not switch anywhere in the window\n",
                     neuron.c_str());
    }
    if (in.images) options.stars = in.images->at;
    write_file(svg_path, tiles_to_svg(tess, tess.full_depth() ? &boundary : nullptr, options));
  }
  if (!json_path.empty()) {
    std::string text = tiles_to_json(tess);
    if (in.images) text = with_slice_json(text, in);
    write_file(json_path, text);
  }
  std::printf("tiles %d\n", tess.tile_count());
  if (in.images) print_images(in);
  return kExitOk;
}

int run_plane_count(const Args& args, CommonInput common) {
  const GeometryInput in = read_plane_input(args, std::move(common));
  const Tessellation tess = tessellate_or_throw(in);
  const Contour boundary = decision_boundary(tess);
  const TessellationStats stats =
      tessellation_stats(tess, tess.full_depth() ? &boundary : nullptr);
  std::printf("tiles %d\n", stats.tiles);
  for (std::size_t l = 0; l < stats.tiles_per_layer.size(); ++l)
    std::printf("tiles_layer_%zu %d\n", l + 1, stats.tiles_per_layer[l]);
  std::printf("distinct_codes %d\n", stats.distinct_codes);
  std::printf("distinct_affine_maps %d\n", stats.distinct_maps);
  if (tess.full_depth()) {
    std::printf("boundary_pieces %zu\n", boundary.polylines.size());
    std::printf("boundary_tiles %d\n", stats.boundary_tiles);
  }
  std::printf("area_min %.6g\narea_median %.6g\narea_max %.6g\n", stats.area_min,
              stats.area_median, stats.area_max);
  std::printf("corners_mean %.3f\n", stats.corners_mean);
  if (in.images) print_images(in);
  return kExitOk;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Networks with 1 input: pieces of an interval
// -----------------------------------------------------------------------------------------------

struct IntervalInput {
  Network net; // cut after hidden layer --layer when it is given (count only)
  double x0 = 0, x1 = 0;
  Tessellation1dOptions options;
};

// The network's hidden layers 0..depth-1, with hidden layer `depth`'s affine map as the output:
// its pieces are the pieces of that depth, and their maps that layer's pre-activation, which is
// what the 2-D count reports below full depth. Folded first, so the layer that becomes the
// output keeps its batch norm as a plain affine map.
Network cut_after(const Network& net, int depth) {
  Network cut = net.folded();
  cut.layers.resize(static_cast<std::size_t>(depth) + 1);
  cut.layers.back().activation = Activation::linear;
  return cut;
}

IntervalInput read_interval_input(const Args& args, CommonInput common) {
  IntervalInput in;
  const Window defaults;
  std::vector<double> w;
  try {
    w = args.numbers("window", {defaults.x0, defaults.x1}, 2);
  } catch (const UsageError&) {
    // The generic message would only say "expected 2"; someone passing the plane's 4 numbers
    // needs to hear why this network wants 2.
    throw UsageError("--window: the network has 1 input, so the window is an interval: expected "
                     "2 comma-separated numbers x0,x1, got \"" +
                     args.text("window", "") + "\"");
  }
  in.x0 = w[0];
  in.x1 = w[1];
  if (!(in.x1 > in.x0)) throw UsageError("--window: expected x0 < x1");
  in.options.max_pieces = common.max_tiles;
  const bool below_full_depth = common.layer != 0 && common.layer < common.net.hidden_layers();
  in.net = below_full_depth ? cut_after(common.net, common.layer) : std::move(common.net);
  return in;
}

Tessellation1d tessellate_interval_or_throw(const IntervalInput& in) {
  Tessellation1d tess = tessellate_interval(in.net, in.x0, in.x1, in.options);
  if (!tess.ok())
    throw RuntimeError(std::string("tessellation stopped (") + to_string(tess.status) +
                       "): " + tess.message);
  return tess;
}

// Distinct affine maps (slope, intercept) among the pieces, with the 2-D count's rule: two maps
// are one when every coefficient agrees within tolerance * max(1, largest coefficient of the
// two). Neighbouring pieces share a map where a switching neuron does not reach the output (a
// dead unit downstream), so this can be less than the piece count. Pieces are swept in the order
// of a projection of their coefficients, as in geometry_analysis.cpp: equal maps project within
// a known window of each other, which keeps this near-linear for large counts.
int count_distinct_maps(const Tessellation1d& tess, double tolerance = 1e-9) {
  const int P = tess.piece_count();
  if (P == 0) return 0;
  const int K = 2 * tess.outputs;
  Eigen::MatrixXd maps(K, P); // (2C, P): slope, then intercept
  for (int p = 0; p < P; ++p) {
    maps.col(p).head(tess.outputs) = tess.pieces[p].slope;
    maps.col(p).tail(tess.outputs) = tess.pieces[p].intercept;
  }
  Eigen::VectorXd weights(K); // (2C) a generic projection direction
  for (int j = 0; j < K; ++j) weights(j) = 1.0 + 0.37 * j;
  const Eigen::VectorXd proj = maps.transpose() * weights;                       // (P)
  const Eigen::VectorXd size = maps.cwiseAbs().colwise().maxCoeff().transpose(); // (P)
  const double window = tolerance * std::max(1.0, size.maxCoeff()) * weights.sum();
  std::vector<int> order(P);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return proj(a) < proj(b); });
  std::vector<int> reps;
  for (int p : order) {
    bool known = false;
    for (int i = static_cast<int>(reps.size()) - 1; i >= 0 && !known; --i) {
      const int r = reps[i];
      if (proj(r) < proj(p) - window) break;
      const double tol = tolerance * std::max({1.0, size(r), size(p)});
      known = ((maps.col(r) - maps.col(p)).cwiseAbs().array() <= tol).all();
    }
    if (!known) reps.push_back(p);
  }
  return static_cast<int>(reps.size());
}

int run_interval_tiles(const Args& args, CommonInput common) {
  // The SVG is the graph of an output and the JSON holds the output's map on every piece: below
  // full depth neither exists, and drawing a hidden pre-activation instead would mislead.
  if (common.layer != 0 && common.layer < common.net.hidden_layers())
    throw UsageError("--layer: a 1-input network's pieces are drawn as the graph of its output, "
                     "which needs the whole network (`splinescope count --layer " +
                     std::to_string(common.layer) + "` counts the pieces of the first layers)");
  // Knots already name their neuron (in --json) and are coloured by layer (in --svg).
  if (args.has("neuron"))
    throw UsageError("--neuron: not available for a 1-input network; every knot in --json names "
                     "the layer and neuron that make it");
  const IntervalInput in = read_interval_input(args, std::move(common));
  const std::string svg_path = args.text("svg", ""), json_path = args.text("json", "");
  require_output(svg_path, json_path);
  const Tessellation1d tess = tessellate_interval_or_throw(in);
  if (!svg_path.empty()) {
    Spline1dSvgOptions options;
    options.width_px = args.integer("width", 800, 16, 16384);
    // Half as high as wide, the engine's default proportion for a graph.
    options.height_px = std::max(16, options.width_px / 2);
    if (tess.outputs > 1)
      std::fprintf(stderr, "note: the SVG draws output 0 of %d; --json has every output's pieces\n",
                   tess.outputs);
    write_file(svg_path, spline_to_svg(tess, 0, options));
  }
  if (!json_path.empty()) write_file(json_path, pieces_to_json(tess));
  std::printf("pieces %d\n", tess.piece_count());
  return kExitOk;
}

int run_interval_count(const Args& args, CommonInput common) {
  const IntervalInput in = read_interval_input(args, std::move(common));
  const Tessellation1d tess = tessellate_interval_or_throw(in);
  const int P = tess.piece_count();
  std::printf("pieces %d\n", P);
  for (std::size_t l = 0; l < tess.pieces_per_layer.size(); ++l)
    std::printf("pieces_layer_%zu %d\n", l + 1, tess.pieces_per_layer[l]);
  // A knot per neuron that changes sign; several can share a point (pieces = positions + 1).
  std::printf("knots %zu\n", tess.knots.size());
  int positions = 0;
  for (std::size_t k = 0; k < tess.knots.size(); ++k)
    if (k == 0 || tess.knots[k].t != tess.knots[k - 1].t) ++positions;
  std::printf("knot_positions %d\n", positions);
  std::vector<Code> codes;
  std::vector<double> lengths;
  for (const Piece1d& piece : tess.pieces) {
    codes.push_back(piece.code);
    lengths.push_back(piece.t1 - piece.t0);
  }
  std::sort(codes.begin(), codes.end());
  std::printf("distinct_codes %d\n",
              static_cast<int>(std::unique(codes.begin(), codes.end()) - codes.begin()));
  std::printf("distinct_affine_maps %d\n", count_distinct_maps(tess));
  std::sort(lengths.begin(), lengths.end());
  std::printf("length_min %.6g\nlength_median %.6g\nlength_max %.6g\n",
              P ? lengths.front() : 0.0, median_of_sorted(lengths), P ? lengths.back() : 0.0);
  return kExitOk;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Verbs
// -----------------------------------------------------------------------------------------------

int run_tiles(const Args& args) {
  CommonInput common = read_common(args);
  return common.net.input_dim == 1 ? run_interval_tiles(args, std::move(common))
                                   : run_plane_tiles(args, std::move(common));
}

int run_count(const Args& args) {
  CommonInput common = read_common(args);
  return common.net.input_dim == 1 ? run_interval_count(args, std::move(common))
                                   : run_plane_count(args, std::move(common));
}

std::vector<Option> common_options() {
  return {
      {"window", "x0,x1,y0,y1",
       "the rectangle of the input plane [-3,3,-3,3]; for a 1-input network the interval x0,x1 "
       "[-3,3]"},
      {"layer", "L", "tiles of hidden layers 1..L only; 0: the whole network [0]"},
      {"max-tiles", "N", "stop with an error beyond N tiles (pieces for a 1-input network) [200000]"},
      {"images", "A,B,C",
       "a 784-input network: the plane through Fashion-MNIST images A, B, C, "
       "x = a + u (b - a) + w (c - a); --window is then in (u, w) [-0.25,1.25,-0.25,1.25]"},
      {"test-set", "", "--images: indices into the test set [the training set]"},
      {"data-dir", "DIR",
       "--images: the directory of Fashion-MNIST's IDX files [" + std::string(kFashionMnistDir) + "]"},
  };
}

// `slice` is `tiles` through three images: --images required, stars on the images.
int run_slice(const Args& args) {
  if (!args.has("images")) throw UsageError("--images: give three image indices A,B,C");
  return run_tiles(args);
}

std::vector<Option> tiles_options() {
  std::vector<Option> options = common_options();
  options.push_back({"svg", "FILE", "write an SVG: tiles in the app's colours, edges, boundary"});
  options.push_back({"json", "FILE", "write every tile: vertices, code, affine piece, area"});
  options.push_back({"width", "PX", "width of the SVG in pixels [800]"});
  options.push_back({"edges-by-layer", "", "colour each edge by the layer that made it"});
  options.push_back({"neuron", "L.K", "draw unit K (from 0) of hidden layer L (from 1): its bent "
                                      "hyperplane, orange as in the app"});
  return options;
}

Verb make_tiles_verb() {
  Verb v;
  v.name = "tiles";
  v.summary = "Write the exact tiles of a window as SVG (for slides and papers) and/or JSON.";
  v.synopsis = "tiles NET.json [options] --svg OUT.svg --json OUT.json";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = tiles_options();
  // Wrapped by hand: help_text prints the details as they are.
  v.details =
      "Prints `tiles N`. The decision boundary is drawn when the whole network is used.\n\n"
      "A network with 1 input is cut exactly into the linear pieces of the interval\n"
      "--window x0,x1 [-3,3] instead, and `pieces N` is printed. The SVG is the graph of\n"
      "output 0, half as high as wide: one line per piece in its tile colour, one dot per knot\n"
      "in its layer's colour. The JSON lists every piece (t0, t1, code, slope and intercept of\n"
      "every output) and every knot (t, layer, neuron). Knots are always coloured by layer;\n"
      "--neuron, and --layer below the whole network, are refused there.";
  v.run = run_tiles;
  return v;
}

Verb make_count_verb() {
  Verb v;
  v.name = "count";
  v.summary = "Count the exact tiles of a window: per layer, distinct affine maps, boundary.";
  v.synopsis = "count NET.json [options]";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = common_options();
  v.details =
      "Output: `name value` lines, starting with `tiles N`.\n\n"
      "For a network with 1 input the window is the interval --window x0,x1 [-3,3], cut into\n"
      "linear pieces, and the lines are `pieces N`, `pieces_layer_L N` for each hidden layer\n"
      "(the pieces made by layers 1..L), `knots N` (one per neuron that changes sign; several\n"
      "can share a point), `knot_positions N` (pieces - 1), distinct_codes,\n"
      "distinct_affine_maps, length_min, length_median and length_max.";
  v.run = run_count;
  return v;
}

Verb make_slice_verb() {
  Verb v;
  v.name = "slice";
  v.summary = "Write the exact tiles and class boundaries of the plane through three images.";
  v.synopsis = "slice NET.json --images A,B,C [options] --svg OUT.svg --json OUT.json";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = tiles_options();
  v.details =
      "NET.json takes 784 inputs (a Fashion-MNIST network: `splinescope train --dataset\n"
      "fashion-mnist`). The plane through training images A, B, C (--test-set: test images) is\n"
      "x = a + u (b - a) + w (c - a): a at (0, 0), b at (1, 0), c at (0, 1), not orthonormalised,\n"
      "so the triangle between them is the unit one. The SVG shows the exact tiles, the class\n"
      "boundaries (where the two largest logits tie) and the three images as stars; the JSON is\n"
      "`tiles --json`'s with a \"slice\" object naming the images. Prints `tiles N` and one line\n"
      "per image: `image_a train 12 at 0,0 class Trouser predicted Trouser`. `splinescope count\n"
      "NET.json --images A,B,C` counts the same plane's tiles.\n\n"
      "example:\n"
      "  splinescope slice fashion.json --images 12,345,6789 --svg slice.svg --json slice.json";
  v.run = run_slice;
  return v;
}

} // namespace

const Verb& slice_verb() {
  static const Verb verb = make_slice_verb();
  return verb;
}

const Verb& tiles_verb() {
  static const Verb verb = make_tiles_verb();
  return verb;
}

const Verb& count_verb() {
  static const Verb verb = make_count_verb();
  return verb;
}

} // namespace splinescope::cli
