// lesson_claims.h - a lesson's claim read from its own run: the figures the page measures (tiles,
// pieces and knots, the test loss) against the statement the caption makes, shown live beside
// the caption and reported by state().lesson_claim. Plain C++: tested natively.
#pragma once

#include "lessons.h"

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

} // namespace splinescope
