// Tests of the generated per-pixel network evaluation (web/views/shader_gen.h): it hands every
// output to the colour modes and takes the decision boundary over all of them.
#include "shader_gen.h"

#include "network.h"

#include <doctest/doctest.h>

#include <string>

using namespace splinescope;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Network network_with_outputs(int outputs) {
  NetworkSpec spec;
  spec.hidden = {8, 6};
  spec.outputs = outputs;
  return make_network(spec, 7);
}

} // namespace

TEST_CASE("the generated shader hands all 10 outputs of a 10-class network to the colour modes") {
  const Network net = network_with_outputs(10);
  REQUIRE(can_unroll(net));
  const std::string glsl = unrolled_network_glsl(net);
  INFO(glsl);
  CHECK(has(glsl, "out vec4 f_lo,"));
  CHECK(has(glsl, "out vec4 f_hi, out vec2 f_ex, out vec2 f_grad"));
  CHECK(has(glsl, "f_lo = vec4(h3_0, h3_1, h3_2, h3_3);"));
  CHECK(has(glsl, "f_hi = vec4(h3_4, h3_5, h3_6, h3_7);"));
  CHECK(has(glsl, "f_ex = vec2(h3_8, h3_9);"));
  CHECK(!has(glsl, "h3_10"));
  // The gradient of any chosen output, 9 included.
  for (int k = 1; k < 10; ++k)
    CHECK_MESSAGE(has(glsl, "if (u_output_index == " + std::to_string(k) + ") f_grad = q3_" +
                                std::to_string(k) + ";"),
                  k);
}

TEST_CASE("the generated decision boundary compares all 10 logits for the top two") {
  const std::string glsl = unrolled_network_glsl(network_with_outputs(10));
  CHECK(has(glsl, "float fa = h3_0, fb = h3_1;"));
  for (int k = 2; k < 10; ++k) {
    const std::string f = "h3_" + std::to_string(k), q = "q3_" + std::to_string(k);
    CHECK_MESSAGE(has(glsl, "if (" + f + " > fa) { fb = fa; gb = ga; fa = " + f + "; ga = " + q +
                                "; }"),
                  k);
    CHECK_MESSAGE(has(glsl, "else if (" + f + " > fb) { fb = " + f + "; gb = " + q + "; }"), k);
  }
  CHECK(has(glsl, "boundary_px = (fa - fb) / max(length(ga - gb), 1e-30);"));
}

TEST_CASE("outputs a network does not have are zero in the generated shader") {
  const std::string three = unrolled_network_glsl(network_with_outputs(3));
  CHECK(has(three, "f_lo = vec4(h3_0, h3_1, h3_2, 0.0);"));
  CHECK(has(three, "f_hi = vec4(0.0, 0.0, 0.0, 0.0);"));
  CHECK(has(three, "f_ex = vec2(0.0, 0.0);"));
  const std::string nine = unrolled_network_glsl(network_with_outputs(9));
  CHECK(has(nine, "f_ex = vec2(h3_8, 0.0);"));
  CHECK(has(nine, "if (h3_8 > fa)"));
  // One output: the boundary is its zero set, and f_ex is still written.
  const std::string one = unrolled_network_glsl(network_with_outputs(1));
  CHECK(has(one, "f_ex = vec2(0.0, 0.0);"));
  CHECK(has(one, "boundary_px = abs(h3_0) / max(length(q3_0), 1e-30);"));
}
