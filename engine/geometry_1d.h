// geometry_1d.h - the exact tessellation of a segment of the input space into the linear pieces
// of a network (a 1-D affine spline), its knots, and SVG / JSON export.
//
// Restricted to the line x(t) = origin + t * direction, a piecewise-linear network is a
// continuous piecewise-linear function of t. Tessellating cuts the interval [t0, t1] layer by
// layer, as geometry.h does for a 2-D window: on a piece of the layers 0..l-1, every neuron of
// layer l is affine in t (h = a t + e), so it has at most one zero in the piece, and that zero is
// a knot. For a 1-input network the standard line has origin 0 and direction 1, so t = x.
//
// Layers are numbered as in Network: hidden layer 0 is the first hidden layer. Codes are the
// network's (network.h): bit k is [h_k > 0] for global neuron k, linear layers keep their bits
// at 0 and cut nothing.
//
// Index
//   [SECTION] Lines and pieces
//   [SECTION] Tessellation of an interval
//   [SECTION] Export
#pragma once

#include "geometry.h"
#include "network.h"

#include <Eigen/Dense>

#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Lines and pieces
// -----------------------------------------------------------------------------------------------

// The line x(t) = origin + t * direction of the input space.
struct Line1d {
  Eigen::VectorXd origin;    // (D)
  Eigen::VectorXd direction; // (D)
};

// The first coordinate axis: origin 0, direction e_1, so t = x_1.
Line1d standard_line(int input_dim);
// Input-space points of parameters t. t: (n). Returns (D, n).
Eigen::MatrixXd to_input_space(const Line1d& line, const Eigen::VectorXd& t);

// A point where hidden neuron (layer, neuron) changes sign: its bit in the code differs on the
// two sides of t. Several neurons can change sign at the same t (identical neurons, or a neuron
// whose zero falls on a knot of an earlier layer); each is listed as a knot of its own.
struct Knot {
  double t = 0;
  int layer = 0;  // hidden layer
  int neuron = 0; // unit within that layer
  int piece = 0;  // the piece that starts at t (piece - 1 ends there)
};

// One linear piece: f(t) = slope * t + intercept on [t0, t1].
struct Piece1d {
  double t0 = 0, t1 = 0;
  Code code;                 // activation code of every hidden layer, constant inside the piece
  Eigen::VectorXd slope;     // (C)
  Eigen::VectorXd intercept; // (C)
};

// -----------------------------------------------------------------------------------------------
// [SECTION] Tessellation of an interval
// -----------------------------------------------------------------------------------------------

struct Tessellation1dOptions {
  // Stop with tile_budget_exceeded as soon as the interval has more pieces than this.
  int max_pieces = 100000;
  // Relative tolerance of "this neuron's zero lies at a piece end (or the neuron is zero on the
  // whole piece)": |h| <= tolerance * (|a| M + |e|) at the end, for h = a t + e and
  // M = max(|t0|, |t1|), the scale of the rounding of a t + e. Zeros closer than
  // tolerance * max(M, t1 - t0) to each other are one knot position, and closer than that to a
  // piece end make no knot, so no piece is thinner than that.
  double tolerance = 1e-12;
};

struct Tessellation1d {
  TessellationStatus status = TessellationStatus::ok;
  std::string message;     // why, when status != ok
  double t0 = 0, t1 = 0;   // the interval
  Line1d line;
  int hidden_layers = 0;   // of the network
  int outputs = 0;         // C of the network
  std::vector<int> widths; // widths of the hidden layers
  int code_neurons = 0;    // hidden neurons: the argument of code_hash for colours

  std::vector<Piece1d> pieces;       // in increasing t; piece i + 1 starts where piece i ends
  std::vector<Knot> knots;           // sorted by t, then layer, then neuron
  std::vector<int> pieces_per_layer; // pieces of depth 1, 2, ..., hidden_layers (depth 0: 1)

  bool ok() const { return status == TessellationStatus::ok; }
  int piece_count() const { return static_cast<int>(pieces.size()); }
  // The piece containing t (at a knot: the piece that starts there); the first or last piece for
  // t outside [t0, t1]; -1 when there are no pieces.
  int locate(double t) const;
  // (C) f(t) from the piece containing t (outside [t0, t1]: its end piece's map, extended).
  Eigen::VectorXd evaluate(double t) const;
};

// Exact tessellation of [t0, t1] on the line (batch norm in evaluation mode: net.folded()).
// t0 >= t1, a line of the wrong dimension or a network beyond the engine's limits give
// invalid_input; non-finite weights or pre-activations give numerical_failure; more than
// options.max_pieces pieces give tile_budget_exceeded. A failed tessellation has no pieces.
Tessellation1d tessellate_interval(const Network& net, const Line1d& line, double t0, double t1,
                                   const Tessellation1dOptions& options = {});
// The same on the standard line (t = x_1).
Tessellation1d tessellate_interval(const Network& net, double t0, double t1,
                                   const Tessellation1dOptions& options = {});

// The exact graph of output `output` over [t0, t1]: the piece ends (t0, every knot position, t1)
// in row 0 and f there in row 1. (2, pieces + 1); (2, 0) when the tessellation has no pieces.
Eigen::MatrixXd spline_polyline(const Tessellation1d& tess, int output = 0);

// -----------------------------------------------------------------------------------------------
// [SECTION] Export
// -----------------------------------------------------------------------------------------------

struct Spline1dSvgOptions {
  int width_px = 800;
  int height_px = 400;
  double margin_px = 12;            // between the axes box and the picture's border
  double line_width_px = 2.5;
  double casing_width_px = 4.5;     // a dark line under the pieces: the palette's colours are light
  double knot_radius_px = 3.5;
  bool draw_knots = true;
  std::string axes_colour = "#3a3a3a";
  std::string casing_colour = "#0d0d14";
};

// A standalone SVG of the graph of output `output`: one <line> per piece in its tile colour
// (tile_colour(code_hash(code))) over a dark casing, one <circle> per knot in its layer's colour
// (layer_colour()), the axes box, and f = 0 dashed when it is in view. t to the right, f up.
std::string spline_to_svg(const Tessellation1d& tess, int output = 0,
                          const Spline1dSvgOptions& options = {});
// JSON: {"status", "t0", "t1", "origin", "direction", "widths", "outputs", "pieces_per_layer",
// "pieces": [{"t0", "t1", "code": "0110.1011", "slope": [...], "intercept": [...]}],
// "knots": [{"t", "layer", "neuron"}]} (and "message" when not ok).
std::string pieces_to_json(const Tessellation1d& tess);

} // namespace splinescope
