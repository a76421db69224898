// Tests of the lessons' claims (web/share/lesson_claims.h) against closed forms.
#include "lesson_claims.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

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

TEST_CASE("a lesson without a measured claim reads as not measured, and every measured claim is one of the tested lessons") {
  CHECK_FALSE(read_claim(Claim{}, ClaimFigures{}).measured);
  // tests/browser/claims.test.mjs runs each of these to its end and breaks each one.
  const std::set<std::string> tested = {"lines", "depth", "line", "long", "wide", "deep",
                                        "widedeep", "batchnorm", "init", "decay", "bnjitter",
                                        "neurons", "code", "spline", "boundary", "leaky", "images"};
  int measured = 0;
  for (const Lesson& l : lessons())
    if (l.claim.kind != ClaimKind::none) {
      ++measured;
      CHECK_MESSAGE(tested.count(l.id) == 1, l.id);
    }
  CHECK(measured == static_cast<int>(tested.size()));
}

namespace {
// Figures of one pane for the compare claims.
ClaimFigures pane(int tiles, long parameters, double accuracy, std::vector<double> lc_train = {},
                  std::vector<double> lc_boundary = {}) {
  ClaimFigures f;
  f.tiles = tiles;
  f.tiles_exact = true;
  f.parameters = parameters;
  f.test_accuracy = accuracy;
  f.lc_train = std::move(lc_train);
  f.lc_boundary = std::move(lc_boundary);
  return f;
}
} // namespace

TEST_CASE("the compare claims need two panes") {
  for (ClaimKind kind : {ClaimKind::compare_data_density, ClaimKind::compare_migration,
                         ClaimKind::compare_depth_economy, ClaimKind::compare_more_tiles}) {
    ClaimFigures f = pane(500, 100, 1.0);
    const ClaimReading r = read_claim(Claim{kind, 1.0}, f);
    CHECK(r.measured);
    CHECK_FALSE(r.holds);
    CHECK(r.measurement.find("one pane") != std::string::npos);
  }
}

TEST_CASE("the batch-norm claim compares local complexity near the training points at the end of both runs") {
  const Claim claim{ClaimKind::compare_data_density, 1.2};
  ClaimFigures f;
  f.panes = {pane(474, 337, 1, std::vector<double>(10, 1.7), std::vector<double>(10, 1.0)),
             pane(790, 401, 1, std::vector<double>(10, 2.6), std::vector<double>(10, 1.6))};
  CHECK(read_claim(claim, f).holds); // 2.6 / 1.7 = 1.53
  f.panes[1].lc_train.assign(10, 1.9); // 1.12x
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes[1].lc_train.assign(10, 3.0);
  f.panes[1].lc_train.resize(5); // too little of B's run
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the weight-decay claim needs the migration in B and not in A") {
  const Claim claim{ClaimKind::compare_migration, 0.25};
  const std::vector<double> migrating = {1.0, 2.7, 2.6, 2.0, 1.6, 1.5, 1.5, 1.5, 1.5, 1.5};
  const std::vector<double> staying = {2.7, 2.7, 2.7, 2.7, 2.7, 2.7, 2.7, 2.6, 2.6, 2.6};
  const std::vector<double> boundary(10, 2.8);
  ClaimFigures f;
  f.panes = {pane(0, 0, 1, staying, boundary), pane(0, 0, 1, migrating, boundary)};
  CHECK(read_claim(claim, f).holds);
  f.panes[0].lc_train = migrating; // both migrate: weight decay made no difference
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes = {pane(0, 0, 1, staying, boundary), pane(0, 0, 1, staying, boundary)};
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the wide-against-deep claim needs fewer parameters and tiles in B and both fitting") {
  const Claim claim{ClaimKind::compare_depth_economy, 0.95};
  ClaimFigures f;
  f.panes = {pane(1639, 257, 1.0), pane(296, 177, 0.983)};
  CHECK(read_claim(claim, f).holds);
  f.panes[1].test_accuracy = 0.9; // the deep one does not fit
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes[1].test_accuracy = 0.99;
  f.panes[1].parameters = 300; // more parameters
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes[1].parameters = 177;
  f.panes[1].tiles = 2000; // more tiles
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes[1].tiles = 296;
  f.panes[1].tiles_exact = false; // estimated counts prove nothing
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the initialisation claim needs threshold times the tiles in B") {
  const Claim claim{ClaimKind::compare_more_tiles, 2.0};
  ClaimFigures f;
  f.panes = {pane(111, 337, 0.5), pane(466, 337, 0.4)};
  CHECK(read_claim(claim, f).holds);
  f.panes[1].tiles = 200;
  CHECK_FALSE(read_claim(claim, f).holds);
  f.panes[0].tiles = 0;
  CHECK_FALSE(read_claim(claim, f).holds);
}

TEST_CASE("the batch-norm jitter claim needs the view's codes to change between batches") {
  const Claim claim{ClaimKind::batch_jitter, 0.2};
  ClaimFigures f;
  CHECK_FALSE(read_claim(claim, f).holds); // not drawn with batch statistics
  f.batch_jitter = 0.69;
  CHECK(read_claim(claim, f).holds);
  f.batch_jitter = 0.0; // the whole training set in every batch: nothing moves
  CHECK_FALSE(read_claim(claim, f).holds);
}

// The measures check the exact tiles by forward passes: they agree on the engine's tessellations
// and disagree once a tessellation is made wrong on purpose.
namespace {
Network random_net(std::vector<int> hidden, Activation activation, std::uint64_t seed) {
  NetworkSpec spec;
  spec.hidden = std::move(hidden);
  spec.activation = activation;
  return make_network(spec, seed);
}
} // namespace

TEST_CASE("the affine-tiles measure finds f equal to each tile's piece, and a wrong piece") {
  const Network net = random_net({8, 8}, Activation::relu, 4);
  Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  ClaimFigures f;
  f.tiles = tess.tile_count();
  measure_affine_tiles(net, tess, &f);
  CHECK(f.checked >= tess.tile_count());
  CHECK(f.agreeing == f.checked);
  CHECK(f.max_error < 1e-9);
  CHECK(read_claim(Claim{ClaimKind::affine_tiles}, f).holds);
  tess.c(0, tess.tile_count() / 2) += 1e-3; // one tile's offset off
  measure_affine_tiles(net, tess, &f);
  CHECK(f.agreeing == f.checked - 5);
  CHECK_FALSE(read_claim(Claim{ClaimKind::affine_tiles}, f).holds);
}

TEST_CASE("the edge-crossing measure finds one neuron switching per edge, and a wrong label") {
  const Network net = random_net({6, 6}, Activation::relu, 9);
  Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  ClaimFigures f;
  measure_edge_crossings(net, tess, &f);
  CHECK(f.checked > 20);
  CHECK(f.agreeing == f.checked);
  for (TileEdge& e : tess.edges) // every first-layer edge names the next neuron
    if (e.layer == 0) e.neuron = (e.neuron + 1) % 6;
  measure_edge_crossings(net, tess, &f);
  CHECK(f.agreeing < f.checked);
}

TEST_CASE("the boundary measure finds straight segments with f = 0 and every bend at a tile edge") {
  Network net = random_net({8, 8}, Activation::relu, 21);
  // Not zero: where every second-layer ReLU is off, f is this bias, not 0 throughout a tile
  // (a tile on the level, where the zero set is the whole tile and "bends" mean nothing).
  net.layers.back().b(0) = 0.3;
  const Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  Contour boundary = decision_boundary(tess);
  REQUIRE(boundary.flat_tiles == 0);
  REQUIRE(!boundary.polylines.empty());
  ClaimFigures f;
  measure_boundary_segments(net, boundary, &f);
  CHECK(f.checked > 3);
  CHECK(f.agreeing == f.checked);
  CHECK(f.bends > 0);
  CHECK(f.bends_at_edges == f.bends);
  CHECK(read_claim(Claim{ClaimKind::boundary_segments}, f).holds);
  // A vertex moved off the boundary: its segments leave f = 0.
  const std::size_t mid = boundary.polylines[0].points.size() / 2;
  boundary.polylines[0].points[mid] += Eigen::Vector2d(0.05, 0.05);
  measure_boundary_segments(net, boundary, &f);
  CHECK(f.agreeing < f.checked);
  CHECK_FALSE(read_claim(Claim{ClaimKind::boundary_segments}, f).holds);
}

TEST_CASE("the bent-neuron measure finds first-layer zero sets straight and a second-layer one bent") {
  const Network net = random_net({6, 6}, Activation::relu, 5);
  const Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  ClaimFigures f;
  int most = 0;
  for (int unit = 0; unit < 6; ++unit) {
    measure_bent_neurons(tess, 1, unit, &f);
    most = std::max(most, f.bends);
  }
  CHECK(f.checked > 0);
  CHECK(f.agreeing == f.checked);
  CHECK(most > 0);
  measure_bent_neurons(tess, 0, 0, &f); // a first-layer neuron is not a deeper one
  CHECK(f.bends == -1);
}

TEST_CASE("the flat-tile measure finds no flat tile with leaky ReLU and one where every ReLU is off") {
  const Network leaky = random_net({8, 8}, Activation::leaky_relu, 3);
  const Tessellation lt = tessellate(leaky, Window{});
  REQUIRE(lt.ok());
  ClaimFigures f;
  measure_flat_tiles(lt, &f);
  CHECK(f.agreeing == f.checked);
  // Two ReLUs that are both off for x1 < -1: f is the output bias there.
  NetworkSpec spec;
  spec.hidden = {2};
  Network relu = make_network(spec, 1);
  relu.layers[0].W << 1, 0, //
      1, 0.5;
  relu.layers[0].b << 1, 1;
  const Tessellation rt = tessellate(relu, Window{});
  REQUIRE(rt.ok());
  measure_flat_tiles(rt, &f);
  CHECK(f.checked == 4); // two lines crossing at (-1, 0)
  CHECK(f.agreeing == 3);
  CHECK_FALSE(read_claim(Claim{ClaimKind::no_flat_tiles}, f).holds);
}

TEST_CASE("the image-plane claim needs each of the three images predicted as its class") {
  // f = (1 - 2u - 2w, 2u - 0.5, 2w - 0.5): class 0 wins at a = (0, 0), 1 at b = (1, 0), 2 at c = (0, 1).
  Network net;
  net.input_dim = 2;
  Layer out;
  out.W = Eigen::MatrixXd(3, 2); // (3, 2)
  out.W << -2, -2, 2, 0, 0, 2;
  out.b = Eigen::VectorXd(3); // (3)
  out.b << 1, -0.5, -0.5;
  out.activation = Activation::linear;
  net.layers.push_back(out);
  ClaimFigures f;
  f.test_accuracy = 0.8;
  CHECK_FALSE(read_claim(Claim{ClaimKind::plane_images}, f).holds); // not measured: no plane
  Eigen::Matrix<double, 2, 3> anchors; // (2, 3) a, b, c
  anchors << 0, 1, 0, 0, 0, 1;
  measure_plane_images(net, anchors, {{0, 1, 2}}, &f);
  CHECK(f.checked == 3);
  CHECK(f.agreeing == 3);
  CHECK(read_claim(Claim{ClaimKind::plane_images}, f).holds);
  measure_plane_images(net, anchors, {{0, 2, 1}}, &f);
  CHECK(f.agreeing == 1);
  const ClaimReading r = read_claim(Claim{ClaimKind::plane_images}, f);
  CHECK_FALSE(r.holds);
  CHECK(r.measurement == "1 of the 3 images are predicted as their class (test accuracy 0.80).");
  // The images where they lie in the plane: swapped b and c are right again.
  anchors << 0, 0, 1, 0, 1, 0;
  measure_plane_images(net, anchors, {{0, 2, 1}}, &f);
  CHECK(f.agreeing == 3);
}
