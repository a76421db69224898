// geometry.h - the exact tiling of a 2-D window into the linear regions of a network, with the
// edges and adjacency of every tile, neuron zero sets, decision boundaries and level sets,
// statistics, local complexity, and SVG / JSON export.
//
// A piecewise-linear network is affine on every tile of equal activation codes. Tessellating
// cuts the window layer by layer: on a tile of the layers 1..l-1, every neuron of layer l is
// affine (h = a . x + e), so its zero set there is one straight cut. Tiles are kept in a planar
// half-edge structure, so neighbouring tiles share their vertices, every edge knows the neuron
// that created it and the tiles on both sides, and the result has no gaps and no overlaps by
// construction. docs/geometry.md describes the algorithm, its tolerances and its budgets.
//
// Coordinates. Everything here lives in plane coordinates (u, w) of a 2-D slice of the input
// space, x = origin + u * v1 + w * v2. For a 2-D input the default slice is the input plane
// itself, so (u, w) = (x, y).
//
// Layers are numbered as in Network: hidden layer 0 is the first hidden layer. "Depth l" means
// the tiling by hidden layers 0..l-1 (the Omega(l) of the maths notes); the full depth is
// net.hidden_layers().
//
// Index
//   [SECTION] Slices and regions
//   [SECTION] Tessellation
//   [SECTION] Contours: decision boundary, level sets, neuron zero sets
//   [SECTION] Statistics
//   [SECTION] Locating points and local complexity
//   [SECTION] Export
#pragma once

#include "network.h"
#include "pixel_codes.h"

#include <Eigen/Dense>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Slices and regions
// -----------------------------------------------------------------------------------------------

// The plane x = origin + u * v1 + w * v2 of the input space that is tessellated.
struct Slice {
  Eigen::VectorXd origin; // (D)
  Eigen::VectorXd v1;     // (D)
  Eigen::VectorXd v2;     // (D)
};

// The plane through 0 spanned by the first two coordinate axes: (u, w) = (x_1, x_2).
Slice standard_slice(int input_dim);
// Input-space points of plane points. P: (2, n). Returns (D, n).
Eigen::MatrixXd to_input_space(const Slice& slice, const Eigen::MatrixXd& P);
// The plane through three points a, b, c of the input space (three images, say), parameterised
// as x = a + u (b - a) + w (c - a): a at (0, 0), b at (1, 0), c at (0, 1). Not orthonormalised, so
// the three stay at those simple coordinates and the triangle between them is the unit one; the
// plane's axes are then neither unit length nor perpendicular in the input space. Vectors (D).
Slice slice_through(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const Eigen::VectorXd& c);
// The same plane with an orthonormal basis: origin a, v1 = (b - a) / |b - a|, v2 the unit part of
// c - a orthogonal to v1. Lengths and areas in (u, w) are those of the input space; a is at
// (0, 0), b at (|b - a|, 0), c at ((c - a).v1, |its orthogonal part|). Throws
// std::invalid_argument when the points differ in dimension or lie on one line.
Slice orthonormal_slice_through(const Eigen::VectorXd& a, const Eigen::VectorXd& b,
                                const Eigen::VectorXd& c);
// The plane coordinates (u, w) of the point of the slice nearest to x (least squares; exact for a
// point of the plane).
Eigen::Vector2d plane_coordinates(const Slice& slice, const Eigen::VectorXd& x);
// The network restricted to a slice: a network with 2 inputs g(u, w) = f(origin + u v1 + w v2),
// the same codes and outputs at every plane point. Its first layer is W1 [v1 v2] (n_1, 2) with
// bias W1 origin + b1; batch norm is folded first; deeper layers are copied. This is all a
// per-pixel or per-tile pass over the plane needs: the D-wide product happens once, here.
// Throws std::invalid_argument when the slice's vectors do not have the network's input size.
Network restrict_to_slice(const Network& net, const Slice& slice);

// A convex polygon of the plane; vertices in order (either orientation is accepted as input).
using Polygon = std::vector<Eigen::Vector2d>;

// The window as a counter-clockwise polygon: (x0, y0), (x1, y0), (x1, y1), (x0, y1). Its sides
// are numbered 0 bottom, 1 right, 2 top, 3 left.
Polygon window_polygon(const Window& window);

// -----------------------------------------------------------------------------------------------
// [SECTION] Tessellation
// -----------------------------------------------------------------------------------------------

enum class TessellationStatus {
  ok,
  tile_budget_exceeded, // more tiles than TessellationOptions::max_tiles
  time_budget_exceeded, // TessellationOptions::time_budget_ms ran out
  invalid_input,        // see Tessellation::message
  numerical_failure,    // non-finite weights or pre-activations
};
const char* to_string(TessellationStatus s);

struct TessellationOptions {
  // Depth: tile by hidden layers 0..layers-1 only. All hidden layers when < 0 or too large.
  int layers = -1;
  // Stop with tile_budget_exceeded as soon as the tiling has more tiles than this. Memory use is
  // linear in tiles: about 0.7 KB per tile plus 48 bytes per output, result and scratch together.
  int max_tiles = 100000;
  // Stop with time_budget_exceeded after this many milliseconds; 0 = no time budget.
  double time_budget_ms = 0;
  // Milliseconds on any monotonic clock; std::chrono::steady_clock when empty.
  std::function<double()> clock_ms;
  // Relative tolerance of "this vertex lies on this cut". A vertex lies on the cut h = a . x + e
  // when |h| <= tolerance * (|a_u| R + |a_w| R + |e|), R the radius of the region about its
  // centre; no cut leaves a piece thinner than about tolerance * R.
  double tolerance = 1e-9;
};

// One edge of a tile, directed counter-clockwise (the tile lies on its left).
struct TileEdge {
  int from = 0;        // index into Tessellation::vertices
  int to = 0;          // index into Tessellation::vertices
  int layer = -1;      // hidden layer of the neuron whose zero set this edge is; -1: region side
  int neuron = 0;      // unit within that layer; for a region side, its index i (region[i] -> i+1)
  int neighbour = -1;  // tile on the other side; -1 outside the region
  int twin = -1;       // index in Tessellation::edges of the same edge seen from the neighbour
  int coincident = -1; // head of a list in Tessellation::coincident: further neurons whose zero
                       // set runs along this edge (identical or coinciding neurons); -1 none
};

// A convex tile. Its vertices are the from-vertices of its edges, counter-clockwise. A vertex
// where a neighbour's edge ends on a side of this tile (a T-junction) is kept, so the boundary
// can have collinear vertices, and every edge has exactly one tile on its other side.
struct Tile {
  int first_edge = 0;  // edges [first_edge, first_edge + edge_count) of Tessellation::edges
  int edge_count = 0;
  int corner_count = 0; // vertices where the boundary turns (edges, not counting T-junctions)
  Code code;            // activation code of hidden layers 0..depth-1
  double area = 0;
  Eigen::Vector2d centroid = Eigen::Vector2d::Zero(); // area centroid, inside the tile
};

struct CoincidentLabel {
  int layer = 0;
  int neuron = 0;
  int next = -1; // next entry of the list, -1 at its end
};

struct Tessellation {
  TessellationStatus status = TessellationStatus::ok;
  std::string message;     // why, when status != ok
  int depth = 0;           // hidden layers used
  int hidden_layers = 0;   // of the network
  int outputs = 0;         // C of the network
  std::vector<int> widths; // widths of hidden layers 0..depth-1
  int code_neurons = 0;    // neurons of layers 0..depth-1: the argument of code_hash for colours
  // Rows of every tile's affine map. Full depth: C, the map is the network's output f = A p + c.
  // Depth l < L: the width of hidden layer l, the map is its pre-activation h(l) = A p + c.
  int map_rows = 0;
  Polygon region;          // the tessellated region, counter-clockwise, collinear points removed
  Slice slice;

  std::vector<Eigen::Vector2d> vertices; // shared by the tiles that meet there
  std::vector<TileEdge> edges;           // every tile's edges, tile by tile
  std::vector<Tile> tiles;
  Eigen::MatrixXd A;                     // (map_rows, 2 * tiles): tile t's A is columns 2t, 2t+1
  Eigen::MatrixXd c;                     // (map_rows, tiles)
  std::vector<int> tiles_per_layer;      // tiles of depth 1, 2, ..., depth (depth 0: 1 tile)
  std::vector<CoincidentLabel> coincident;

  bool ok() const { return status == TessellationStatus::ok; }
  bool full_depth() const { return depth == hidden_layers; }
  int tile_count() const { return static_cast<int>(tiles.size()); }
  // The affine piece of tile t: f(p) = A p + c (or h(depth), see map_rows).
  // (map_rows, 2)
  Eigen::MatrixXd::ConstColsBlockXpr tile_A(int t) const { return A.middleCols(2 * t, 2); }
  // (map_rows)
  Eigen::MatrixXd::ConstColXpr tile_c(int t) const { return c.col(t); }
  // (map_rows) A p + c
  Eigen::VectorXd evaluate(int t, const Eigen::Vector2d& p) const;
  // Vertices of tile t, counter-clockwise (allocates; for hot loops walk `edges` instead).
  Polygon polygon(int t) const;
  // Corners of tile t only (the T-junction vertices left out), counter-clockwise.
  Polygon corners(int t) const;
};

// Scratch memory of the tessellator. Keeping one, and the Tessellation, between calls
// (tessellate_into) makes re-tessellating every frame allocation-free once sizes have settled.
// Not shareable between threads running at the same time.
class TessellationWorkspace {
public:
  TessellationWorkspace();
  ~TessellationWorkspace();
  TessellationWorkspace(TessellationWorkspace&&) noexcept;
  TessellationWorkspace& operator=(TessellationWorkspace&&) noexcept;
  struct Buffers; // defined in geometry.cpp
  Buffers& buffers() { return *buffers_; }

private:
  std::unique_ptr<Buffers> buffers_;
};

// Exact tessellation of a window of the input plane (D > 2: of the standard slice).
Tessellation tessellate(const Network& net, const Window& window,
                        const TessellationOptions& options = {});
// Exact tessellation of a convex polygon of the standard slice.
Tessellation tessellate(const Network& net, const Polygon& region,
                        const TessellationOptions& options = {});
// Exact tessellation of a convex polygon of any 2-D slice of the input space.
Tessellation tessellate(const Network& net, const Slice& slice, const Polygon& region,
                        const TessellationOptions& options = {});
// The same as tessellate(net, slice, region, options), written into `out` (whose memory is
// reused) with the workspace's scratch memory.
void tessellate_into(Tessellation& out, TessellationWorkspace& workspace, const Network& net,
                     const Slice& slice, const Polygon& region,
                     const TessellationOptions& options = {});
// The tilings of every depth 1..L, Omega(1), ..., Omega(L) (options.layers ignored), each
// computed on its own (cost at most L times the full depth's). Stops at the first depth that
// fails; that tessellation is the last one returned. A tile of depth l + 1 lies in the tile of
// depth l whose code is its code's prefix.
std::vector<Tessellation> tessellate_layers(const Network& net, const Slice& slice,
                                            const Polygon& region,
                                            const TessellationOptions& options = {});

// -----------------------------------------------------------------------------------------------
// [SECTION] Contours: decision boundary, level sets, neuron zero sets
// -----------------------------------------------------------------------------------------------

struct Polyline {
  std::vector<Eigen::Vector2d> points;
  bool closed = false; // the last point connects back to the first
  int class_a = -1;    // decision boundaries of several classes: the two classes that tie here
  int class_b = -1;
};

// A 1-D zero set over a tessellation. Polylines end at the region boundary and at junctions
// (where three classes tie), and are split nowhere else.
struct Contour {
  std::vector<Polyline> polylines;
  std::vector<int> tiles; // tiles whose interior the contour crosses, ascending
  int flat_tiles = 0;     // tiles on which the function equals the level throughout (not drawn)
};

// The decision boundary of a full-depth tessellation: f = 0 for one output, otherwise where the
// two largest logits tie. Empty when the tessellation is not ok or not of full depth.
Contour decision_boundary(const Tessellation& tess);
// The level set f_output = level of a full-depth tessellation (regression: any level).
Contour level_set(const Tessellation& tess, double level, int output = 0);
// The zero set of neuron `neuron` of hidden layer `layer` (layer < tess.depth), as polylines
// made of tile edges.
std::vector<Polyline> neuron_zero_set(const Tessellation& tess, int layer, int neuron);
// Where neuron `neuron` of hidden layer `layer` is active (h > 0): on a tessellated region
// (layer < tess.depth) and on a set of points. A highlighted neuron whose zero set misses the view
// draws nothing; this says why: inactive on all of the view (and perhaps dead on the data too),
// or active on all of it.
struct NeuronActivity {
  double active_area = 0;   // exact: total area of the tiles where h > 0
  double region_area = 0;   // total area of the tiles
  bool crosses_region = false; // tiles on both sides: its zero set runs through the region
  int points = 0;           // points looked at
  int active_points = 0;    // of them, where h > 0
};
// X: (D, n) input-space points (may be empty); the network's forward pass decides their side.
NeuronActivity neuron_activity(const Tessellation& tess, const Network& net, int layer, int neuron,
                               const Eigen::MatrixXd& X);
// n points spread evenly by arc length over the polylines. Returns (2, n); (2, 0) when empty.
Eigen::MatrixXd sample_polylines(const std::vector<Polyline>& lines, int n);

// -----------------------------------------------------------------------------------------------
// [SECTION] Statistics
// -----------------------------------------------------------------------------------------------

struct TessellationStats {
  int tiles = 0;
  std::vector<int> tiles_per_layer; // as in Tessellation
  double area_min = 0, area_median = 0, area_max = 0, area_total = 0;
  int corners_min = 0, corners_max = 0; // corners per tile
  double corners_mean = 0;
  int distinct_codes = 0;
  // Distinct affine maps (A, c): neighbouring tiles can share one, e.g. where a dead ReLU's switch
  // does not change f. Two maps are the same when every coefficient agrees within
  // map_tolerance * max(1, largest coefficient of the two).
  int distinct_maps = 0;
  int boundary_tiles = 0; // tiles the decision boundary crosses (full depth only)
};

// boundary: the decision boundary when already computed (it is computed otherwise).
TessellationStats tessellation_stats(const Tessellation& tess, const Contour* boundary = nullptr,
                                     double map_tolerance = 1e-9);

// -----------------------------------------------------------------------------------------------
// [SECTION] Locating points and local complexity
// -----------------------------------------------------------------------------------------------

enum class Neighbourhood { square, disk };

// A bucket grid over the tiles' bounding boxes. Keeps a reference: the tessellation must outlive
// the locator.
class TileLocator {
public:
  explicit TileLocator(const Tessellation& tess);
  // The tile containing p (on an edge: one of the tiles on it); -1 outside the region.
  int locate(const Eigen::Vector2d& p) const;
  // Tiles whose interior meets the open square |p - x|_inf < r or the open disk |p - x| < r.
  int count_meeting(const Eigen::Vector2d& x, double r, Neighbourhood shape) const;
  std::vector<int> tiles_meeting(const Eigen::Vector2d& x, double r, Neighbourhood shape) const;

private:
  template <class Visit> void visit_box(double x0, double y0, double x1, double y1, Visit&& visit) const;
  const Tessellation* tess_;
  double x0_ = 0, y0_ = 0, cell_w_ = 1, cell_h_ = 1;
  int nx_ = 1, ny_ = 1;
  std::vector<int> cell_begin_; // (nx * ny + 1) offsets into cell_tiles_
  std::vector<int> cell_tiles_;
  std::vector<Eigen::Vector4d> boxes_; // per tile: x0, y0, x1, y1
  mutable std::vector<unsigned> stamp_;
  mutable unsigned stamp_now_ = 0;
};

struct LocalComplexity {
  std::vector<int> counts; // per point
  double mean = 0;
};

// Exact local complexity: for every point (plane coordinates, (2, n)), the number of tiles whose
// interior meets the square or disk of radius r about it.
LocalComplexity local_complexity(const Tessellation& tess, const Eigen::MatrixXd& points, double r,
                                 Neighbourhood shape = Neighbourhood::square);
// The frame estimate: for every input-space point x ((D, n)), the number of neurons whose sign is
// not the same at all of x +- r e_d (d = 1..D; for 2-D inputs the four points x +- r e_1,
// x +- r e_2). No tessellation needed; cost 2D forward passes per point.
LocalComplexity frame_complexity(const Network& net, const Eigen::MatrixXd& X, double r);

// -----------------------------------------------------------------------------------------------
// [SECTION] Export
// -----------------------------------------------------------------------------------------------

struct SvgOptions {
  int width_px = 800;               // the height follows the region's aspect ratio
  bool draw_edges = true;
  bool colour_edges_by_layer = false; // layer_colour() (code_hash.h); the region's sides left out
  double edge_width_px = 0.6;
  double boundary_width_px = 2.5;
  std::string edge_colour = "#3a3a3a";
  std::string boundary_colour = "#111111";
  // A highlighted neuron's zero set (neuron_zero_set()), drawn over the boundary as a line on a
  // wider dark casing; none when empty.
  std::vector<Polyline> neuron;
  double neuron_width_px = 3.0;
  double neuron_casing_px = 5.0;
  std::string neuron_colour = "#ff7814";
  std::string neuron_casing_colour = "#0d0d14";
  float wash = 0;                   // tile fills moved this far to white (washed(): the light theme)
  // Points of the plane marked with five-pointed stars (the images a slice passes through), drawn
  // last, over everything; none when empty.
  std::vector<Eigen::Vector2d> stars;
  double star_radius_px = 9.0;
  std::string star_colour = "#ffd21f";
  std::string star_outline_colour = "#111111";
};

// A standalone SVG: tiles filled with the app's palette (tile_colour(code_hash(code))), thin
// edges, the contour (decision boundary) in bold, options.neuron on top. viewBox = the region's bounding box in plane
// coordinates with y pointing up.
std::string tiles_to_svg(const Tessellation& tess, const Contour* boundary = nullptr,
                         const SvgOptions& options = {});
// JSON: {"depth", "widths", "status", "region", "tiles": [{"vertices": [[u, w], ...],
// "code": "0110.1011", "A": [[...], ...], "c": [...], "area", "centroid", "neighbours"}]}.
std::string tiles_to_json(const Tessellation& tess);

} // namespace splinescope
