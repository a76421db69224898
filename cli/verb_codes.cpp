// verb_codes.cpp - `splinescope codes`: the activation-code hash of every pixel of a grid.
//
// The same grid and hash as the app's tile shader (pixel_codes.h), as text for scripts: one line
// per pixel row, top row first, with one 16-digit hex hash per pixel separated by spaces. With
// --ids, each pixel shows instead a small region number, numbered by first appearance in reading
// order, which makes counting and diffing easy (`sort -u`, `diff`).
#include "verbs.h"

#include "pixel_codes.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

namespace splinescope::cli {

namespace {

constexpr int kMaxGridSide = 2048; // 4M pixels: 32 MB of hashes

// "256" (square) or "320x200".
void parse_grid(const std::string& text, int* width, int* height) {
  const auto x = text.find('x');
  auto side = [&](const std::string& s) {
    char* end = nullptr;
    const long v = s.empty() ? 0 : std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 1 || v > kMaxGridSide)
      throw UsageError("--grid: expected N or WxH with sides between 1 and " +
                       std::to_string(kMaxGridSide) + ", got \"" + text + "\"");
    return static_cast<int>(v);
  };
  *width = side(text.substr(0, x));
  *height = x == std::string::npos ? *width : side(text.substr(x + 1));
}

int run_codes(const Args& args) {
  const std::string path = args.positionals().at(0);
  int width = 256, height = 256;
  if (args.has("grid")) parse_grid(args.text("grid", ""), &width, &height);
  const Window defaults;
  const std::vector<double> w =
      args.numbers("window", {defaults.x0, defaults.x1, defaults.y0, defaults.y1}, 4);
  const Window window{w[0], w[1], w[2], w[3]};
  if (!(window.x1 > window.x0 && window.y1 > window.y0))
    throw UsageError("--window: expected x0 < x1 and y0 < y1");
  const int layer = args.integer("layer", 0, 0, kMaxHiddenLayers);
  const bool ids = args.flag("ids");
  const std::string out_path = args.text("out", "");

  const LoadedModel model = load_model(path);
  if (model.net.input_dim != 2)
    throw RuntimeError(path + ": codes are computed on a 2-D grid, but the network has " +
                       std::to_string(model.net.input_dim) +
                       (model.net.input_dim == 1
                            ? " input (`splinescope tiles` and `count` cut its line into pieces)"
                            : " inputs"));
  if (layer > model.net.hidden_layers())
    throw UsageError("--layer: the network has " + std::to_string(model.net.hidden_layers()) +
                     (model.net.hidden_layers() == 1 ? " hidden layer" : " hidden layers") +
                     ", got " + std::to_string(layer));

  const std::vector<CodeHash> hashes =
      pixel_code_hashes(model.net, window, width, height, layer == 0 ? -1 : layer);

  // Written row by row: a large grid's text is many times the size of its hashes.
  std::FILE* out = out_path.empty() ? stdout : std::fopen(out_path.c_str(), "wb");
  if (!out) throw RuntimeError("cannot write " + out_path + ": " + std::strerror(errno));
  std::unordered_map<std::uint64_t, int> region_of;
  std::string line;
  char cell[24];
  for (int j = 0; j < height; ++j) {
    line.clear();
    for (int i = 0; i < width; ++i) {
      const std::uint64_t h = hashes[static_cast<std::size_t>(j) * width + i].value();
      if (ids) {
        const auto it = region_of.emplace(h, static_cast<int>(region_of.size())).first;
        std::snprintf(cell, sizeof cell, "%d", it->second);
      } else {
        std::snprintf(cell, sizeof cell, "%016" PRIx64, h);
      }
      if (i) line += ' ';
      line += cell;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  }
  const bool failed = std::ferror(out) != 0;
  if (out != stdout)
    std::fclose(out);
  else
    std::fflush(out);
  if (failed) throw RuntimeError("cannot write " + (out_path.empty() ? "the output" : out_path));
  return kExitOk;
}

Verb make_codes_verb() {
  Verb v;
  v.name = "codes";
  v.summary = "Print the activation-code hash of every pixel of a grid over the input plane.";
  v.synopsis = "codes NET.json [options]";
  v.min_positionals = 1;
  v.max_positionals = 1;
  v.options = {
      {"grid", "N|WxH", "pixels per side, or width x height, up to 2048 [256]"},
      {"window", "x0,x1,y0,y1", "the rectangle of the plane covered [-3,3,-3,3]"},
      {"layer", "L", "codes of hidden layers 1..L only; 0: all layers [0]"},
      {"ids", "", "print region numbers (by first appearance) instead of hashes"},
      {"out", "FILE", "write to FILE instead of standard output"},
  };
  v.details =
      "Output: one line per pixel row, top row (y near y1) first, each with one value per pixel\n"
      "from left to right, separated by single spaces. A value is the 64-bit hash of the pixel\n"
      "centre's activation code as 16 lowercase hex digits (the hash the app colours tiles by;\n"
      "see engine/code_hash.h), or with --ids a region number. Pixel (i, j) has its centre at\n"
      "  x = x0 + (i + 0.5) / W * (x1 - x0),  y = y1 - (j + 0.5) / H * (y1 - y0).\n\n"
      "example: count the regions a 256x256 grid sees\n"
      "  splinescope codes net.json --grid 256 | tr ' ' '\\n' | sort -u | wc -l";
  v.run = run_codes;
  return v;
}

} // namespace

const Verb& codes_verb() {
  static const Verb verb = make_codes_verb();
  return verb;
}

} // namespace splinescope::cli
