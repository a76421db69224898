// Session tables: the points CSV holds every train and test point once with the right split and
// source, bit-exact; the history CSV has one row per history point and leaves unknown values
// empty.
#include "session_tables.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace splinescope;

namespace {
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(
          line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(fields);
  }
  return rows;
}

SessionConfig small_config(const std::string& dataset) {
  SessionConfig c;
  c.data.name = dataset;
  c.data.n = 60;
  c.data.train_fraction = 0.75;
  c.network.hidden = {6, 6};
  c.seed = 5;
  return c;
}
} // namespace

TEST_CASE("the points table lists every train and test point once, hand-placed ones last") {
  Session s(small_config("moons"));
  REQUIRE(s.add_point(0.25, -0.5, 1));
  REQUIRE(s.add_point(-1.0 / 3.0, 2.0, 0));
  const Split& data = s.data();
  const auto rows = parse_csv(points_table_csv(s));
  REQUIRE(rows.size() == static_cast<std::size_t>(1 + data.train.size() + data.test.size()));
  CHECK(rows[0] == std::vector<std::string>{"x", "y", "label", "split", "source"});
  int hand = 0, train = 0, test = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == 5);
    const bool is_train = rows[r][3] == "train";
    const Dataset& d = is_train ? data.train : data.test;
    const Eigen::Index j = is_train ? train++ : test++;
    CHECK((rows[r][3] == "train" || rows[r][3] == "test"));
    // Coordinates read back to the same bits; labels are the dataset's.
    CHECK(std::strtod(rows[r][0].c_str(), nullptr) == d.X(0, j));
    CHECK(std::strtod(rows[r][1].c_str(), nullptr) == d.X(1, j));
    CHECK(std::stoi(rows[r][2]) == d.labels(j));
    if (rows[r][4] == "hand")
      ++hand;
    else
      CHECK(rows[r][4] == "generated");
  }
  CHECK(train == data.train.size());
  CHECK(test == data.test.size());
  CHECK(hand == 2);
  // The hand-placed points are the last two training rows, in the order they were added.
  const std::size_t last_train = static_cast<std::size_t>(data.train.size());
  CHECK(rows[last_train - 1][4] == "hand");
  CHECK(rows[last_train][4] == "hand");
  CHECK(rows[last_train][0] == "-0.33333333333333331");
  CHECK(rows[last_train - 2][4] == "generated");
}

TEST_CASE("the points table of a regression dataset has a target column") {
  Session s(small_config("ripple"));
  const auto rows = parse_csv(points_table_csv(s));
  CHECK(rows[0] == std::vector<std::string>{"x", "y", "target", "split", "source"});
  REQUIRE(rows.size() > 1);
  CHECK(std::strtod(rows[1][2].c_str(), nullptr) == s.data().train.targets(0));
}

TEST_CASE("the points table refuses more hand-placed points than training points") {
  Split data;
  data.train.X = Eigen::MatrixXd::Zero(2, 3); // (2, 3)
  data.train.labels = Eigen::VectorXi::Zero(3);
  CHECK_THROWS_AS(points_table_csv(data, 4), std::invalid_argument);
  CHECK_THROWS_AS(points_table_csv(data, -1), std::invalid_argument);
  CHECK_NOTHROW(points_table_csv(data, 3));
}

TEST_CASE("the history table has one row per history point with the session's values") {
  Session s(small_config("circles"));
  s.train(40);
  s.report(Session::Figures{17, 1.5, 2.0, 3.25});
  s.train(40);
  const auto& items = s.history().items();
  const auto rows = parse_csv(history_csv(items));
  REQUIRE(rows.size() == items.size() + 1);
  CHECK(rows[0] == std::vector<std::string>{"step", "train_loss", "test_loss", "train_accuracy",
                                            "test_accuracy", "tiles", "lc_train", "lc_test",
                                            "lc_boundary"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& row = rows[i + 1];
    REQUIRE(row.size() == 9);
    CHECK(std::stoll(row[0]) == items[i].step);
    CHECK(std::strtod(row[1].c_str(), nullptr) ==
          doctest::Approx(items[i].train_loss).epsilon(1e-8));
    CHECK(std::strtod(row[4].c_str(), nullptr) ==
          doctest::Approx(items[i].test_accuracy).epsilon(1e-8));
  }
  // Before the report the figures are unknown: empty fields; after it, the reported values.
  CHECK(rows[1][5].empty());
  CHECK(rows.back()[5] == "17");
  CHECK(rows.back()[8] == "3.25");
}

TEST_CASE("the history table of a regression leaves the accuracy columns empty") {
  Session s(small_config("ripple"));
  s.train(5);
  const auto rows = parse_csv(history_csv(s.history().items()));
  REQUIRE(rows.size() >= 2);
  CHECK(rows[1][3].empty());
  CHECK(rows[1][4].empty());
  CHECK(!rows[1][1].empty());
}
