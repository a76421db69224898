// verb_geometry.cpp - `splinescope tiles` and `splinescope count`: the exact tessellation of a
// window of the input plane, as SVG / JSON for figures, and as counts for scripts.
#include "verbs.h"

#include "geometry.h"

#include <cstdio>
#include <string>

namespace splinescope::cli {

namespace {

constexpr int kMaxTiles = 2000000;

struct GeometryInput {
  Network net;
  Window window;
  TessellationOptions options;
};

GeometryInput read_input(const Args& args) {
  GeometryInput in;
  const std::string path = args.positionals().at(0);
  const Window defaults;
  const std::vector<double> w =
      args.numbers("window", {defaults.x0, defaults.x1, defaults.y0, defaults.y1}, 4);
  in.window = Window{w[0], w[1], w[2], w[3]};
  if (!(in.window.x1 > in.window.x0 && in.window.y1 > in.window.y0))
    throw UsageError("--window: expected x0 < x1 and y0 < y1");
  in.options.max_tiles = args.integer("max-tiles", 200000, 1, kMaxTiles);
  in.net = load_model(path).net;
  const int layer = args.integer("layer", 0, 0, kMaxHiddenLayers);
  if (layer > in.net.hidden_layers())
    throw UsageError("--layer: the network has " + std::to_string(in.net.hidden_layers()) +
                     " hidden layers, got " + std::to_string(layer));
  in.options.layers = layer == 0 ? -1 : layer;
  return in;
}

Tessellation tessellate_or_throw(const GeometryInput& in) {
  Tessellation tess = tessellate(in.net, in.window, in.options);
  if (!tess.ok())
    throw RuntimeError(std::string("tessellation stopped (") + to_string(tess.status) +
                       "): " + tess.message);
  return tess;
}

std::vector<Option> common_options() {
  return {
      {"window", "x0,x1,y0,y1", "the rectangle of the input plane [-3,3,-3,3]"},
      {"layer", "L", "tiles of hidden layers 1..L only; 0: the whole network [0]"},
      {"max-tiles", "N", "stop with an error beyond N tiles [200000]"},
  };
}

int run_tiles(const Args& args) {
  const GeometryInput in = read_input(args);
  const std::string svg_path = args.text("svg", ""), json_path = args.text("json", "");
  if (svg_path.empty() && json_path.empty())
    throw UsageError("nothing to write: give --svg FILE and/or --json FILE");
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
    write_file(svg_path, tiles_to_svg(tess, tess.full_depth() ? &boundary : nullptr, options));
  }
  if (!json_path.empty()) write_file(json_path, tiles_to_json(tess));
  std::printf("tiles %d\n", tess.tile_count());
  return kExitOk;
}

int run_count(const Args& args) {
  GeometryInput in = read_input(args);
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
  return kExitOk;
}

Verb make_tiles_verb() {
  Verb v;
  v.name = "tiles";
  v.summary = "Write the exact tiles of a window as SVG (for slides and papers) and/or JSON.";
  v.synopsis = "tiles NET.json [options] --svg OUT.svg --json OUT.json";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = common_options();
  v.options.push_back({"svg", "FILE", "write an SVG: tiles in the app's colours, edges, boundary"});
  v.options.push_back({"json", "FILE", "write every tile: vertices, code, affine piece, area"});
  v.options.push_back({"width", "PX", "width of the SVG in pixels [800]"});
  v.options.push_back({"edges-by-layer", "", "colour each edge by the layer that made it"});
  v.options.push_back({"neuron", "L.K", "draw unit K (from 0) of hidden layer L (from 1): its bent "
                                        "hyperplane, orange as in the app"});
  v.details = "Prints `tiles N`. The decision boundary is drawn when the whole network is used.";
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
  v.details = "Output: `name value` lines, starting with `tiles N`.";
  v.run = run_count;
  return v;
}

} // namespace

const Verb& tiles_verb() {
  static const Verb verb = make_tiles_verb();
  return verb;
}

const Verb& count_verb() {
  static const Verb verb = make_count_verb();
  return verb;
}

} // namespace splinescope::cli
