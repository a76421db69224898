// lesson_claims.h - a lesson's claim read from its own run: the figures the page measures (tiles,
// pieces and knots, the test loss) against the statement the caption makes, shown live beside
// the caption and reported by state().lesson_claim. Plain C++: tested natively.
#pragma once

#include "geometry.h"
#include "lessons.h"
#include "network.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace splinescope {

// What the page measures of the run on the canvas.
struct ClaimFigures {
  std::vector<int> widths;      // the hidden layers' widths
  int tiles = 0;                // in the view
  bool tiles_exact = false;     // tiles is the exact count (not a grid's estimate)
  std::vector<int> tiles_per_layer; // exact tiles of the layers 1..l, l = 1..L (empty: not exact)
  int pieces = -1;              // a network of one input: its pieces in the view (else -1)
  int knot_positions = -1;      // ... and the distinct places where they meet
  double test_loss = NAN;
  // The charts' local complexity near the training points and at the decision boundary, one
  // entry per recorded step where both were measured.
  std::vector<double> lc_train, lc_boundary;
  long parameters = 0;
  // Drawn with batch statistics: the share of the view whose code changes from one batch to the
  // next at the same weights (NaN: not drawn that way, or not measured yet).
  double batch_jitter = NAN;
  // Checks of the exact tiles by forward passes (see the measures below); -1: not made.
  int checked = -1;             // points, segments, crossings or zero sets checked
  int agreeing = -1;            // ... of which agree with the claim
  int bends = -1;               // boundary_segments: bends of the boundary; bent_neurons: of the highlighted neuron
  int bends_at_edges = -1;      // boundary_segments: bends where the code changes (a tile edge)
  double max_error = NAN;       // affine_tiles: the largest |f - (A x + c)|
  double test_accuracy = NAN;
  // Compare mode: every pane's figures, A first (empty: one pane).
  std::vector<ClaimFigures> panes;
};

struct ClaimReading {
  bool measured = false;        // the lesson has a claim
  bool holds = false;
  std::string statement;        // the claim, in a sentence
  std::string measurement;      // what the run shows now, in a sentence
};

ClaimReading read_claim(const Claim& claim, const ClaimFigures& figures);

// Measures on a full-depth tessellation of `net` for the claims; each is checked by forward
// passes of the network, not by the tessellation's own bookkeeping, of about 2,000 points at most
// (every k-th tile of a large tessellation). They fill figures.checked, .agreeing, .bends and
// .max_error.
// f at five points of every tile (its centroid, and halfway from it to four of its corners)
// against the tile's affine piece; agreeing: points within 1e-9 of it (relative to |f|).
void measure_affine_tiles(const Network& net, const Tessellation& tess, ClaimFigures* f);
// Every segment of the boundary: f is 0 (to 1e-8) at its quarter points (agreeing); every bend
// (a vertex where the direction turns): the codes just before and after it differ, so it lies
// on a tile edge (bends_at_edges). A straight segment may cross edges where f does not bend.
void measure_boundary_segments(const Network& net, const Contour& boundary, ClaimFigures* f);
// Every edge between two tiles along one neuron's zero set: the codes by forward passes just
// either side of its midpoint differ in that neuron's bit only.
void measure_edge_crossings(const Network& net, const Tessellation& tess, ClaimFigures* f);
// The first layer's zero sets in the view (checked; agreeing: without a bend) and the bends of
// neuron `unit` of hidden layer `layer` (0-based; bends).
void measure_bent_neurons(const Tessellation& tess, int layer, int unit, ClaimFigures* f);
// Tiles whose affine piece has a zero slope (agreeing: tiles with a slope).
void measure_flat_tiles(const Tessellation& tess, ClaimFigures* f);
// Image data: the network on the plane through three images (a 2-input network), where the
// images lie in it (anchors, (2, 3): a, b, c) and their labels: checked 3, agreeing the images
// whose predicted class (the top output) is their label.
void measure_plane_images(const Network& plane_net, const Eigen::Matrix<double, 2, 3>& anchors,
                          const std::array<int, 3>& labels, ClaimFigures* f);

} // namespace splinescope
