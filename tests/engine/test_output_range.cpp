// Output ranges (the colour and height scales of the app) against hand-computed quantiles.
#include "output_range.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace splinescope;

namespace {
// f(x, y) = 2 relu(x) - 1 on one hidden neuron: slope 2 on the right half, 0 on the left.
Network ramp_network() {
  NetworkSpec spec;
  spec.hidden = {1};
  Network net = make_network(spec, 1);
  net.layers[0].W << 1, 0;
  net.layers[0].b << 0;
  net.layers[1].W << 2;
  net.layers[1].b << -1;
  return net;
}
} // namespace

TEST_CASE("quantile takes the nearest rank and ignores non-finite values") {
  CHECK(quantile({3, 1, 2, 5, 4}, 0.0) == 1);
  CHECK(quantile({3, 1, 2, 5, 4}, 0.5) == 3);
  CHECK(quantile({3, 1, 2, 5, 4}, 1.0) == 5);
  CHECK(quantile({NAN, 7, INFINITY}, 0.5) == 7);
  CHECK(std::isnan(quantile({}, 0.5)));
}

TEST_CASE("output_range gives area-weighted quantiles of the output and its slope") {
  const Network net = ramp_network();
  const Window window{-2, 2, -1, 1};
  const OutputRange r = output_range(net, window, 0, 100);
  REQUIRE(r.valid);
  // f is -1 on the left half and rises to 3 at x = 2: its 2 % quantile is -1, and 98 % of the
  // area lies left of x = 1.92, where f = 2.84 (2.8 at the grid's nearest cell centre, x = 1.9).
  CHECK(r.lo == doctest::Approx(-1));
  CHECK(r.hi == doctest::Approx(2.84).epsilon(0.02));
  CHECK(r.min == doctest::Approx(-1));
  CHECK(r.max == doctest::Approx(2.98).epsilon(0.01)); // the last cell centre, x = 1.98
  CHECK(r.abs_max == doctest::Approx(2.84).epsilon(0.02));
  // Half of the window has slope 2, so the 95th percentile of the slope is 2.
  CHECK(r.gradient_max == doctest::Approx(2));
}

TEST_CASE("output_range is invalid for an output the network does not have") {
  CHECK_FALSE(output_range(ramp_network(), Window{}, 1).valid);
  CHECK_FALSE(output_range(ramp_network(), Window{}, -1).valid);
}

// A 784-input ramp: f = 2 relu(x_1) - 1, with every other input weighted but 0 on the standard
// slice; the hand-computed figures are the 2-input ramp's (slope 2 on the right half, 0 on the
// left), so the range is the standard slice's whatever D is.
TEST_CASE("output_range of a 784-input network is that of its standard slice") {
  NetworkSpec spec;
  spec.input_dim = 784;
  spec.hidden = {1};
  Network net = make_network(spec, 1);
  net.layers[0].W.setConstant(0.5); // inputs 3..784 are 0 on the slice: they add nothing
  net.layers[0].W(0, 0) = 1;
  net.layers[0].W(0, 1) = 0;
  net.layers[0].b << 0;
  net.layers[1].W << 2;
  net.layers[1].b << -1;
  const OutputRange r = output_range(net, Window{-1, 1, -1, 1}, 0, 100);
  const OutputRange ramp = output_range(ramp_network(), Window{-1, 1, -1, 1}, 0, 100);
  REQUIRE(r.valid);
  CHECK(r.min == doctest::Approx(-1));
  CHECK(r.max == doctest::Approx(0.98)); // the last cell centre, x = 0.99
  CHECK(r.gradient_max == doctest::Approx(2));
  CHECK(r.lo == doctest::Approx(ramp.lo));
  CHECK(r.hi == doctest::Approx(ramp.hi));
}
