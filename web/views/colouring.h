// colouring.h - what the tile colour modes and the 3-D surface need besides the weights: the kind
// of the outputs and the scales of the colour maps (TileStyle's output_kind, value_scale and
// gradient_scale), and vertex data of tiles that carries the outputs, in one layout for the 2-D
// polygons and the 3-D surface, so both paint a tile alike.
#pragma once

#include "class_colours.h"
#include "engine_limits.h"
#include "geometry.h"
#include "output_range.h"
#include "renderer.h"

#include <GLES3/gl3.h>

#include <cmath>
#include <vector>

namespace splinescope {

struct Pane;

// Point kinds (the fourth attribute of a point in Renderer::set_points and points.frag): a
// generated training point is a filled disc, a test point a ring, a point placed by hand a
// filled diamond.
constexpr float kTrainPoint = 0.0f, kTestPoint = 1.0f, kPlacedPoint = 2.0f;

// The radius of a drawn point, in CSS pixels: 4 for up to 2,000 points; for more, smaller in
// proportion to the points' spacing, down to 1.25, so that 100,000 points stay a readable cloud
// and cost a fifth of the shading (each point is a quad).
inline float point_radius_px(int points) {
  constexpr float kRadius = 4.0f, kMinRadius = 1.25f;
  if (points <= 2000) return kRadius;
  const float scaled = kRadius * std::sqrt(2000.0f / static_cast<float>(points));
  return scaled < kMinRadius ? kMinRadius : scaled;
}

// Vertex layout (floats): x, y | r, g, b, a | f_0..f_3 | f_4..f_7 | f_8, f_9 | |grad f_k|, at
// attribute locations 0..5 (see shaders/polygons.vert): every output a network may have.
constexpr int kShadedOutputs = 10;
static_assert(kShadedOutputs == kMaxOutputs, "the vertices and shaders carry every output");
constexpr int kTileVertexFloats = 7 + kShadedOutputs;

struct TileMesh {
  std::vector<float> data; // fills (triangles) first, then edges (lines)
  int fill_vertices = 0;
  int edge_vertices = 0;
  double f_min = 0, f_max = 0; // range of the chosen output over the fill vertices
};

// Exact tiles of a full-depth tessellation as triangle fans (every tile is convex), filled with
// the colour of their code (colour_layers < 0: the whole code's hash; otherwise the refined
// family of hidden layers 1..colour_layers, layered_tile_colour()), with the norm of output k's
// gradient on the tile; edges (when asked) as translucent dark lines, or (by layer) each in the
// colour of the layer that made it. The window's sides are never edges.
TileMesh tile_mesh(const Tessellation& tess, int output, int colour_layers, bool edges,
                   EdgeColour edge_colour = EdgeColour::mono);
// Alpha of the edge lines: dark edges are translucent; layer colours must read as hues.
constexpr float kMonoEdgeAlpha = 0.55f, kLayerEdgeAlpha = 0.9f;
// An approximation on a grid x grid raster of vertices over the window, for views beyond the tile
// budget: two triangles per cell, each taking the code colour and slope of its last vertex (the
// provoking vertex of flat shading). code_layers: colour by hidden layers 1..l (all when < 0).
TileMesh grid_mesh(const Network& net, const Window& window, int grid, int output, int code_layers);
// Attribute pointers of the layout for the GL_ARRAY_BUFFER bound to the current vertex array.
void bind_tile_vertex_layout();
// Uniforms of shaders/colour_modes.glsl for the program in use.
void set_colour_uniforms(GLuint program, const TileStyle& style, int outputs);

// Keeps the pane's style (output kind, colour scales) up to date with its shown network, its data
// and its view (call every frame; recomputes after a change, at most ~7 times a second while
// training). Clamps the output index to the network's outputs.
void update_colour_scales(Pane& pane, bool network_changed, bool playing);

} // namespace splinescope
