// Tests of the lessons' claims (web/share/lesson_claims.h) against closed forms.
#include "lesson_claims.h"

#include <doctest/doctest.h>

using namespace splinescope;

TEST_CASE("the line-arrangement claim holds up to 1 + n + n(n-1)/2 exact tiles and only for one layer") {
  const Claim claim{ClaimKind::arrangement_bound};
  ClaimFigures f;
  f.widths = {6};
  f.tiles_exact = true;
  f.tiles = 22; // 1 + 6 + 15
  CHECK(read_claim(claim, f).holds);
  f.tiles = 23;
  CHECK_FALSE(read_claim(claim, f).holds);
  f.tiles = 10;
  f.tiles_exact = false; // a grid's estimate proves nothing
  CHECK_FALSE(read_claim(claim, f).holds);
  f.tiles_exact = true;
  f.widths = {6, 6};
  const ClaimReading two = read_claim(claim, f);
  CHECK(two.measured);
  CHECK_FALSE(two.holds);
  f.widths = {48};
  f.tiles = 1 + 48 + 48 * 47 / 2;
  CHECK(read_claim(claim, f).holds);
}

TEST_CASE("the polyline claim needs one piece more than knot positions and a test loss under the threshold") {
  const Claim claim{ClaimKind::polyline_fit, 0.05};
  ClaimFigures f;
  f.pieces = 34;
  f.knot_positions = 33;
  f.test_loss = 0.0144;
  CHECK(read_claim(claim, f).holds);
  f.test_loss = 0.2;
  CHECK_FALSE(read_claim(claim, f).holds);
  f.test_loss = 0.01;
  f.knot_positions = 32;
  CHECK_FALSE(read_claim(claim, f).holds);
  f.pieces = -1; // not a network of one input
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the depth claim needs more exact tiles at every depth of two or more") {
  const Claim claim{ClaimKind::depth_refines};
  ClaimFigures f;
  f.tiles_per_layer = {17, 60, 140};
  CHECK(read_claim(claim, f).holds);
  f.tiles_per_layer = {17, 60, 60};
  CHECK_FALSE(read_claim(claim, f).holds);
  f.tiles_per_layer = {17};
  CHECK_FALSE(read_claim(claim, f).holds);
  f.tiles_per_layer.clear();
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the migration claim needs LC near the data to fall a quarter from its peak and end below the boundary's") {
  const Claim claim{ClaimKind::complexity_migration, 0.25};
  ClaimFigures f;
  f.lc_train = {1.0, 2.7, 2.6, 2.0, 1.6, 1.5, 1.5, 1.5, 1.5, 1.5}; // peak 2.7, ends at 1.5: -44 %
  f.lc_boundary = {1.0, 3.0, 3.1, 3.5, 3.0, 2.7, 2.6, 2.7, 2.6, 2.7};
  CHECK(read_claim(claim, f).holds);
  f.lc_boundary.assign(10, 1.4); // the boundary below the data
  CHECK_FALSE(read_claim(claim, f).holds);
  f.lc_boundary.assign(10, 3.0);
  f.lc_train = {2.7, 2.7, 2.7, 2.7, 2.7, 2.7, 2.7, 2.6, 2.6, 2.6}; // no migration: -4 %
  CHECK_FALSE(read_claim(claim, f).holds);
  f.lc_train.resize(4); // too little of the run
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("a lesson without a measured claim reads as not measured, and the measured ones are the lines, depth, line and long lessons") {
  CHECK_FALSE(read_claim(Claim{}, ClaimFigures{}).measured);
  int measured = 0;
  for (const Lesson& l : lessons())
    if (l.claim.kind != ClaimKind::none) {
      ++measured;
      const std::string id = l.id;
      CHECK((id == "lines" || id == "depth" || id == "line" || id == "long"));
    }
  CHECK(measured == 4);
}
