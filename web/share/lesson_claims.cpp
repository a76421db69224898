// lesson_claims.cpp - see lesson_claims.h.
#include "lesson_claims.h"

#include <cstdio>

namespace splinescope {

ClaimReading read_claim(const Claim& claim, const ClaimFigures& f) {
  ClaimReading r;
  char text[200];
  switch (claim.kind) {
  case ClaimKind::none: return r;
  case ClaimKind::arrangement_bound: {
    // n lines in general position cut the plane into at most 1 + n + n(n-1)/2 regions.
    r.measured = true;
    r.statement = "One layer of n lines cuts the plane into at most 1 + n + n(n-1)/2 tiles.";
    if (f.widths.size() != 1) {
      std::snprintf(text, sizeof text, "This network has %d hidden layers: the bound is for one.",
                    static_cast<int>(f.widths.size()));
      r.measurement = text;
      return r;
    }
    const long n = f.widths[0], bound = 1 + n + n * (n - 1) / 2;
    std::snprintf(text, sizeof text, "%d tiles in the view%s; %ld lines allow at most %ld.", f.tiles,
                  f.tiles_exact ? "" : " (estimated)", n, bound);
    r.measurement = text;
    r.holds = f.tiles_exact && f.tiles <= bound;
    return r;
  }
  case ClaimKind::polyline_fit: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "f is a polyline: one piece more than the places where pieces meet, and it fits "
                  "the data (test loss below %g).", claim.threshold);
    r.statement = text;
    if (f.pieces < 0) {
      r.measurement = "This network does not have one input.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d pieces meeting at %d knots; test loss %.4g.", f.pieces,
                  f.knot_positions, f.test_loss);
    r.measurement = text;
    r.holds = f.pieces == f.knot_positions + 1 && f.test_loss < claim.threshold;
    return r;
  }
  }
  return r;
}

} // namespace splinescope
