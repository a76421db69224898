// Networks with one input, end to end: a session on a dataset of the line has a 1-input network
// and learns; loading a network checks its input dimension against the data's; changing between
// the plane and the line changes the input dimension; hand-placed points, CSV and the points table
// work on the line; the session JSON of a line dataset reads back. The oracles are closed forms
// (the targets' variance, the forward pass at x +- r) and independent messages, not the session's
// own output.
#include "file_kind.h"
#include "serialize.h"
#include "session.h"
#include "session_tables.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace splinescope;

namespace {
SessionConfig line_config(const std::string& name = "sine") {
  SessionConfig c;
  c.data.name = name;
  c.data.n = 200;
  c.data.noise = 0.05;
  c.network.hidden = {16, 16};
  c.seed = 3;
  return c;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The mean squared error of predicting the mean target: what a network that learnt nothing scores.
double target_variance(const Dataset& d) {
  const double mean = d.targets.mean();
  return (d.targets.array() - mean).square().mean();
}
} // namespace

TEST_CASE("a session on the sine dataset has a 1-input network and learns: its loss falls far "
          "below the targets' variance") {
  Session s(line_config());
  REQUIRE(s.network().input_dim == 1);
  REQUIRE(s.data().train.dim() == 1);
  REQUIRE(s.data().test.dim() == 1);
  CHECK(s.data().train.size() + s.data().test.size() == 200);
  CHECK(s.config().network.hidden == std::vector<int>{16, 16});
  const double before = s.train_metrics().loss;
  const StepResult r = s.train(1500);
  CHECK(r.ok);
  // The variance of 0.9 sin(1.5 x) over [-2.5, 2.5] is about 0.35; the noise's is 0.0025.
  const double variance = target_variance(s.data().train);
  CHECK(variance > 0.25);
  CHECK(s.train_metrics().loss < 0.1 * variance);
  CHECK(s.test_metrics().loss < 0.1 * target_variance(s.data().test));
  CHECK(s.train_metrics().loss < 0.25 * before);
  CHECK(std::isnan(s.train_metrics().accuracy));
}

TEST_CASE("a session on the intervals dataset classifies the line") {
  SessionConfig c = line_config("intervals");
  c.data.n = 400;
  Session s(c);
  REQUIRE(s.network().input_dim == 1);
  CHECK(s.network().outputs() == 1); // two classes: one logit
  s.train(2000);
  CHECK(s.train_metrics().accuracy > 0.9);
  c.data.classes = 3;
  REQUIRE(s.apply(c) == "");
  CHECK(s.network().input_dim == 1);
  CHECK(s.network().outputs() == 3);
}

TEST_CASE("load_network refuses a 2-input network on data on a line, and a 1-input network on "
          "data in the plane") {
  NetworkSpec spec;
  spec.hidden = {5, 4};
  spec.input_dim = 2;
  Session line(line_config());
  const Network before = line.network();
  CHECK(line.load_network(make_network(spec, 9)) ==
        "the network takes 2 inputs; this data lies on a line (1 input)");
  CHECK(line.network().input_dim == 1);
  CHECK(line.network().layers[0].W == before.layers[0].W); // nothing changed
  spec.input_dim = 1;
  const Network one = make_network(spec, 9);
  CHECK(line.load_network(one) == "");
  CHECK(line.network().layers[0].W == one.layers[0].W);
  CHECK(line.config().network.hidden == std::vector<int>{5, 4});

  Session plane(line_config("circles"));
  CHECK(plane.load_network(one) == "the network takes 1 input; this data lies in the plane (2 inputs)");
  spec.input_dim = 3;
  CHECK(plane.load_network(make_network(spec, 9)) ==
        "the network takes 3 inputs; this data lies in the plane (2 inputs)");
}

TEST_CASE("switching the dataset from circles to sine gives a 1-input network and back gives 2 "
          "inputs") {
  Session s(line_config("circles"));
  REQUIRE(s.network().input_dim == 2);
  REQUIRE(s.add_point(0.5, 0.5, 1));
  s.train(20);
  SessionConfig next = s.config();
  next.data.name = "sine";
  CHECK(classify_change(s.config(), next) == ChangeKind::data);
  REQUIRE(s.apply(next) == "");
  CHECK(s.network().input_dim == 1);
  CHECK(s.network().layers[0].W.cols() == 1);
  CHECK(s.data().train.dim() == 1);
  CHECK(s.steps() == 0);
  // A point of the plane has no place on the line: the hand-placed points go.
  CHECK(s.user_points().dims() == 1);
  CHECK(s.user_points().empty());
  CHECK(s.train(50).ok);

  REQUIRE(s.add_point(1.0, 0.0, 0.25));
  next.data.name = "cubic"; // the line again: the hand-placed point stays
  REQUIRE(s.apply(next) == "");
  CHECK(s.user_points().size() == 1);
  CHECK(s.network().input_dim == 1);

  next.data.name = "circles";
  REQUIRE(s.apply(next) == "");
  CHECK(s.network().input_dim == 2);
  CHECK(s.data().train.dim() == 2);
  CHECK(s.user_points().dims() == 2);
  CHECK(s.user_points().empty());
  CHECK(s.train(50).ok);
}

TEST_CASE("points placed by hand on the line are x and a value, removed by the nearest x, and "
          "undone") {
  Session s(line_config());
  const Eigen::Index n = s.data().train.size();
  REQUIRE(s.add_point(0.125, 42.0, -0.5)); // y (42) is ignored on the line
  REQUIRE(s.data().train.size() == n + 1);
  CHECK(s.data().train.dim() == 1);
  CHECK(s.data().train.X(0, n) == 0.125);
  CHECK(s.data().train.targets(n) == -0.5);
  CHECK(s.user_points().points()[0].y == 0);

  // Removal measures along x only: a y far away does not matter.
  const double x = s.data().train.X(0, 3);
  REQUIRE(s.remove_point(x, -100.0, 1e-12));
  CHECK(s.data().train.size() == n);
  for (Eigen::Index j = 0; j < s.data().train.size(); ++j) CHECK(s.data().train.X(0, j) != x);
  REQUIRE(s.undo_point_edit());
  CHECK(s.data().train.size() == n + 1);
  CHECK(s.data().train.X(0, 3) == x);
  REQUIRE(s.undo_point_edit());
  CHECK(s.data().train.size() == n);
  CHECK(s.user_points().empty());
}

TEST_CASE("a session on the line imports x,target CSV and refuses three columns with a message") {
  Session s(line_config());
  const Eigen::Index n = s.data().train.size();
  CsvResult r = s.import_points("x,target\n0.5,0.25\n-1,1\n");
  REQUIRE(r.ok);
  CHECK(s.user_points().size() == 2);
  CHECK(s.data().train.size() == n + 2);
  CHECK(s.data().train.X(0, n + 1) == -1.0);
  r = s.import_points("0.5,0.1,0.25\n");
  CHECK_FALSE(r.ok);
  CHECK(r.error == "line 1: expected 2 columns (x,target) but found 3: these points lie on a line "
                   "and have no y");
  CHECK(s.user_points().size() == 2);
  CHECK(s.user_points().to_csv() == "x,target\n0.5,0.25\n-1,1\n");
}

TEST_CASE("a session's local complexity on the line counts the neurons that switch sign between "
          "x - r and x + r") {
  Session s(line_config());
  s.train(300);
  const double r = 0.2;
  const Session::Figures f = s.local_complexity(r, Eigen::MatrixXd(1, 0));
  const Dataset& d = s.data().train;
  double total = 0;
  for (Eigen::Index j = 0; j < d.size(); ++j) {
    Eigen::MatrixXd P(1, 2); // (1, 2) the frame around point j on the line
    P(0, 0) = d.X(0, j) + r;
    P(0, 1) = d.X(0, j) - r;
    const ForwardGeometry g = forward_geometry(s.network(), P);
    for (const Eigen::MatrixXd& H : g.pre)
      for (Eigen::Index k = 0; k < H.rows(); ++k) total += (H(k, 0) > 0) != (H(k, 1) > 0);
  }
  CHECK(f.lc_train == doctest::Approx(total / static_cast<double>(d.size())));
  CHECK(f.lc_train > 0);
  CHECK(std::isnan(f.lc_boundary));
  Eigen::MatrixXd boundary(1, 2); // (1, 2) two points of the line
  boundary << -1.0, 1.0;
  CHECK(s.local_complexity(r, boundary).lc_boundary >= 0);
}

TEST_CASE("the points table of a session on the line has no y column and is recognised as one") {
  Session s(line_config());
  REQUIRE(s.add_point(0.75, 0, 0.5));
  const std::string table = points_table_csv(s);
  CHECK(table.rfind("x,target,split,source\n", 0) == 0); // the header comes first
  CHECK(contains(table, "\n0.75,0.5,train,hand\n"));
  CHECK(detect_file_kind("points.csv", table) == FileKind::points_table);
  CHECK(detect_file_kind("points.csv", "x,label\n1,0\n") == FileKind::points_csv);
}

TEST_CASE("the session JSON of a dataset on the line reads back with a 1-input network and its "
          "weights") {
  Session s(line_config());
  s.train(100);
  const std::string text = session_to_json(s.config(), &s.network());
  const LoadResult<SessionDocument> back = session_from_json(text);
  REQUIRE(back.ok());
  CHECK(back.value.config.data.name == "sine");
  CHECK(back.value.config.network.input_dim == 1);
  CHECK(back.value.config.network.hidden == std::vector<int>{16, 16});
  REQUIRE(back.value.weights);
  CHECK(back.value.weights->input_dim == 1);
  CHECK(back.value.weights->layers[0].W == s.network().layers[0].W);
  // The document makes the same session: same data, same network.
  Session again(back.value.config);
  CHECK(again.data().train.X == s.data().train.X);
  CHECK(again.load_network(*back.value.weights) == "");
  CHECK(again.train_metrics().loss == s.train_metrics().loss);

  // Without weights, too.
  const LoadResult<SessionDocument> plain = session_from_json(session_to_json(line_config("abs")));
  REQUIRE(plain.ok());
  CHECK(plain.value.config.network.input_dim == 1);
  CHECK(validate(plain.value.config).empty());
}

TEST_CASE("a session document refuses an input dimension or weights that do not fit the data's "
          "line or plane") {
  const std::string head = R"({"format":"splinescope-session","version":1,)";
  LoadResult<SessionDocument> r =
      session_from_json(head + R"("dataset":{"name":"sine"},"network":{"input_dim":2}})");
  CHECK_FALSE(r.ok());
  CHECK(contains(r.error, "network.input_dim: must be 1 (the dataset sine lies on a line), got 2"));
  r = session_from_json(head + R"("dataset":{"name":"sine"},"network":{"input_dim":1}})");
  CHECK(r.ok());

  // 2-input weights on sine, 1-input weights on circles.
  NetworkSpec spec;
  spec.hidden = {3};
  const std::string plane_weights = network_to_json(make_network(spec, 1));
  r = session_from_json(head + R"("dataset":{"name":"sine"},"weights":)" + plane_weights + "}");
  CHECK_FALSE(r.ok());
  CHECK(contains(r.error, "weights: the network takes 2 inputs; the dataset sine lies on a line "
                          "(1 input)"));
  spec.input_dim = 1;
  const std::string line_weights = network_to_json(make_network(spec, 1));
  r = session_from_json(head + R"("dataset":{"name":"circles"},"weights":)" + line_weights + "}");
  CHECK_FALSE(r.ok());
  CHECK(contains(r.error, "weights: the network takes 1 input; the dataset circles lies in the "
                          "plane (2 inputs)"));
  r = session_from_json(head + R"("dataset":{"name":"cubic"},"weights":)" + line_weights + "}");
  REQUIRE(r.ok());
  CHECK(r.value.config.network.input_dim == 1);
  CHECK(r.value.config.network.hidden == std::vector<int>{3});
}
