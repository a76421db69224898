// geometry_export.cpp - SVG and JSON export of a tessellation.
//
// Index
//   [SECTION] SVG
//   [SECTION] JSON
#include "geometry.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] SVG
// -----------------------------------------------------------------------------------------------

namespace {

// Nine significant digits: enough for any zoom the app allows, short enough for slides.
void append_number(std::string& s, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  s += buf;
}

void append_point(std::string& s, const Eigen::Vector2d& p) {
  append_number(s, p.x());
  s += ' ';
  append_number(s, p.y());
}

// The d attribute of a path through every polyline.
std::string path_data(const std::vector<Polyline>& lines) {
  std::string d;
  for (const Polyline& line : lines) {
    for (std::size_t i = 0; i < line.points.size(); ++i) {
      d += i == 0 ? 'M' : 'L';
      append_point(d, line.points[i]);
    }
    if (line.closed) d += 'Z';
  }
  return d;
}


} // namespace

std::string tiles_to_svg(const Tessellation& tess, const Contour* boundary, const SvgOptions& options) {
  double x0 = 0, y0 = 0, x1 = 1, y1 = 1;
  if (!tess.region.empty()) {
    x0 = x1 = tess.region[0].x();
    y0 = y1 = tess.region[0].y();
    for (const Eigen::Vector2d& p : tess.region) {
      x0 = std::min(x0, p.x());
      x1 = std::max(x1, p.x());
      y0 = std::min(y0, p.y());
      y1 = std::max(y1, p.y());
    }
  }
  const double w = std::max(x1 - x0, 1e-300), h = std::max(y1 - y0, 1e-300);
  const int width_px = std::max(1, options.width_px);
  const int height_px = std::max(1, static_cast<int>(std::lround(width_px * h / w)));
  const double px = w / width_px; // one pixel in plane units: stroke widths are given in pixels

  std::string s;
  s.reserve(256 + tess.edges.size() * 48 + tess.tiles.size() * 64);
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width_px) +
       "\" height=\"" + std::to_string(height_px) + "\" viewBox=\"";
  // y points up: the group below mirrors y, so the viewBox spans [-y1, -y0].
  append_number(s, x0);
  s += ' ';
  append_number(s, -y1);
  s += ' ';
  append_number(s, w);
  s += ' ';
  append_number(s, h);
  s += "\">\n<g transform=\"scale(1,-1)\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n";

  // Tiles, each outlined in its own colour so anti-aliasing leaves no seams between them.
  s += "<g id=\"tiles\" stroke-width=\"";
  append_number(s, 0.5 * px);
  s += "\">\n";
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    char hex[8];
    // A tiling of fewer layers than the network has: each layer's tiles in their parent's family.
    to_hex(washed(layered_tile_colour(tile.code, tess.widths,
                                      tess.depth < tess.hidden_layers ? tess.depth : -1),
                  options.wash),
           hex);
    s += "<path fill=\"";
    s += hex;
    s += "\" stroke=\"";
    s += hex;
    s += "\" d=\"M";
    for (int i = 0; i < tile.edge_count; ++i) {
      if (i > 0) s += 'L';
      append_point(s, tess.vertices[tess.edges[tile.first_edge + i].from]);
    }
    s += "Z\"/>\n";
  }
  s += "</g>\n";

  if (options.draw_edges) {
    // One path per layer (or one for all), every edge once.
    const int groups = options.colour_edges_by_layer ? tess.depth + 1 : 1;
    s += "<g id=\"edges\" fill=\"none\" stroke-width=\"";
    append_number(s, options.edge_width_px * px);
    s += "\">\n";
    // By layer, the region's sides (layer -1) are left out: no neuron made them.
    for (int g = options.colour_edges_by_layer ? 1 : 0; g < groups; ++g) {
      const int layer = options.colour_edges_by_layer ? g - 1 : -2;
      std::string d;
      for (std::size_t e = 0; e < tess.edges.size(); ++e) {
        const TileEdge& edge = tess.edges[e];
        if (edge.twin >= 0 && edge.twin < static_cast<int>(e)) continue;
        if (layer != -2 && edge.layer != layer) continue;
        d += 'M';
        append_point(d, tess.vertices[edge.from]);
        d += 'L';
        append_point(d, tess.vertices[edge.to]);
      }
      if (d.empty()) continue;
      char colour[8];
      if (layer >= 0) to_hex(layer_colour(layer), colour);
      s += "<path stroke=\"";
      s += layer >= 0 ? colour : options.edge_colour.c_str();
      s += "\" d=\"" + d + "\"/>\n";
    }
    s += "</g>\n";
  }

  if (boundary && !boundary->polylines.empty()) {
    s += "<g id=\"boundary\" fill=\"none\" stroke=\"" + options.boundary_colour + "\" stroke-width=\"";
    append_number(s, options.boundary_width_px * px);
    s += "\">\n<path d=\"" + path_data(boundary->polylines) + "\"/>\n</g>\n";
  }
  if (!options.neuron.empty()) {
    // The highlighted neuron as the app draws it: a line on a wider casing.
    const std::string d = path_data(options.neuron);
    s += "<g id=\"neuron\" fill=\"none\">\n";
    for (const auto& [colour, width] :
         {std::pair{options.neuron_casing_colour, options.neuron_casing_px},
          std::pair{options.neuron_colour, options.neuron_width_px}}) {
      s += "<path stroke=\"" + colour + "\" stroke-width=\"";
      append_number(s, width * px);
      s += "\" d=\"" + d + "\"/>\n";
    }
    s += "</g>\n";
  }
  if (!options.stars.empty()) {
    // Five points out, five in at 0.4 of the radius, the first pointing up (y is up here).
    const double r = options.star_radius_px * px;
    s += "<g id=\"stars\" fill=\"" + options.star_colour + "\" stroke=\"" +
         options.star_outline_colour + "\" stroke-width=\"";
    append_number(s, 1.2 * px);
    s += "\">\n";
    for (const Eigen::Vector2d& c : options.stars) {
      s += "<path d=\"";
      for (int k = 0; k < 10; ++k) {
        const double angle = 1.5707963267948966 + k * 0.6283185307179586; // 90 deg + k * 36 deg
        const double rk = k % 2 ? 0.4 * r : r;
        s += k == 0 ? 'M' : 'L';
        append_point(s, c + rk * Eigen::Vector2d(std::cos(angle), std::sin(angle)));
      }
      s += "Z\"/>\n";
    }
    s += "</g>\n";
  }
  s += "</g>\n</svg>\n";
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] JSON
// -----------------------------------------------------------------------------------------------

std::string tiles_to_json(const Tessellation& tess) {
  using nlohmann::json;
  json out;
  out["status"] = to_string(tess.status);
  if (!tess.message.empty()) out["message"] = tess.message;
  out["depth"] = tess.depth;
  out["widths"] = tess.widths;
  out["map_rows"] = tess.map_rows;
  json region = json::array();
  for (const Eigen::Vector2d& p : tess.region) region.push_back({p.x(), p.y()});
  out["region"] = region;
  json tiles = json::array();
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    json j;
    json vertices = json::array(), neighbours = json::array();
    for (int i = 0; i < tile.edge_count; ++i) {
      const TileEdge& e = tess.edges[tile.first_edge + i];
      vertices.push_back({tess.vertices[e.from].x(), tess.vertices[e.from].y()});
      neighbours.push_back(e.neighbour);
    }
    std::string code;
    int k = 0;
    for (std::size_t l = 0; l < tess.widths.size(); ++l) {
      if (l > 0) code += '.';
      for (int i = 0; i < tess.widths[l]; ++i, ++k) code += tile.code.bit(k) ? '1' : '0';
    }
    json A = json::array();
    for (int r = 0; r < tess.map_rows; ++r) A.push_back({tess.A(r, 2 * t), tess.A(r, 2 * t + 1)});
    json c = json::array();
    for (int r = 0; r < tess.map_rows; ++r) c.push_back(tess.c(r, t));
    j["vertices"] = vertices;
    j["code"] = code;
    j["A"] = A;
    j["c"] = c;
    j["area"] = tile.area;
    j["centroid"] = {tile.centroid.x(), tile.centroid.y()};
    j["neighbours"] = neighbours;
    tiles.push_back(std::move(j));
  }
  out["tiles"] = std::move(tiles);
  return out.dump();
}

} // namespace splinescope
