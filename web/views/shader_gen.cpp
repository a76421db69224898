// shader_gen.cpp - writes the unrolled evaluate_network() for one architecture.
#include "shader_gen.h"

#include "code_hash.h"
#include "engine_limits.h"

#include <cstdio>
#include <sstream>

namespace splinescope {

namespace {
constexpr int kMaxUnrolledWeights = 2600; // floats: 16 KB uniform block, and quick compiles

std::string weight(int index) {
  static const char* lanes = "xyzw";
  char buf[32];
  std::snprintf(buf, sizeof buf, "u_w[%d].%c", index / 4, lanes[index % 4]);
  return buf;
}

std::string literal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}
} // namespace

int unrolled_weight_count(const Network& net) {
  int n = 0;
  for (const Layer& layer : net.layers) n += layer.width() * (layer.fan_in() + 1);
  return n;
}

bool can_unroll(const Network& net) {
  return net.input_dim == 2 && unrolled_weight_count(net) <= kMaxUnrolledWeights;
}

std::string architecture_signature(const Network& net) {
  std::ostringstream s;
  for (const Layer& layer : net.layers)
    s << layer.width() << ':' << static_cast<int>(layer.activation) << ':' << layer.alpha << ';';
  return s.str();
}

std::vector<float> unrolled_weights(const Network& net) {
  std::vector<float> out;
  for (const Layer& layer : net.layers) {
    for (int k = 0; k < layer.width(); ++k) {
      for (int j = 0; j < layer.fan_in(); ++j) out.push_back(static_cast<float>(layer.W(k, j)));
      out.push_back(static_cast<float>(layer.b(k)));
    }
  }
  while (out.size() % 4) out.push_back(0.0f);
  return out;
}

std::string unrolled_network_glsl(const Network& net) {
  const int vec4s = (unrolled_weight_count(net) + 3) / 4;
  std::ostringstream g;
  g << "// generated for " << architecture_signature(net) << "\n"
    << "layout(std140) uniform Weights { vec4 u_w[" << vec4s << "]; };\n"
    << "uniform int u_code_layers;\n"
    << "void evaluate_network(vec2 p, float px, out uvec2 hash, out float edge_px,\n"
    << "                      out int edge_layer, out float boundary_px, out vec4 f_lo,\n"
    << "                      out vec4 f_hi, out vec2 f_ex, out vec2 f_grad) {\n"
    << "  hash = uvec2(0u);\n  edge_px = 1e9;\n  edge_layer = 0;\n"
    << "  g_family = vec3(0.0);\n  g_family_layers = 0;\n"
    << "  float z0_0 = p.x, z0_1 = p.y;\n"
    << "  vec2 g0_0 = vec2(1.0, 0.0), g0_1 = vec2(0.0, 1.0);\n";
  int index = 0, neuron = 0;
  const int L = net.hidden_layers();
  for (int l = 0; l <= L; ++l) {
    const Layer& layer = net.layers[l];
    const int in = l; // names of the layer's inputs: z<in>_j, g<in>_j
    for (int k = 0; k < layer.width(); ++k) {
      std::ostringstream h, grad;
      h << "  float h" << l + 1 << "_" << k << " = " << weight(index + layer.fan_in());
      grad << "  vec2 q" << l + 1 << "_" << k << " = ";
      for (int j = 0; j < layer.fan_in(); ++j) {
        h << " + " << weight(index + j) << " * z" << in << "_" << j;
        grad << (j ? " + " : "") << weight(index + j) << " * g" << in << "_" << j;
      }
      g << h.str() << ";\n" << grad.str() << ";\n";
      index += layer.fan_in() + 1;
    }
    if (l == L) break;
    const bool kinked = layer.activation != Activation::linear;
    // The layer's nearest zero set first, then one comparison per layer for edge_layer.
    if (kinked)
      g << "  if (u_code_layers > " << l << ") {\n    float e" << l << " = 1e9;\n    uvec2 lh" << l
        << " = uvec2(0u);\n";
    else // a linear layer's bits are all 0; it still refines the colour family (code_hash.h)
      g << "  if (u_code_layers > " << l << ") refine_family(uvec2(0u));\n";
    for (int k = 0; k < layer.width() && kinked; ++k, ++neuron) {
      const CodeHash key = neuron_key(static_cast<std::uint32_t>(neuron));
      char buf[160];
      std::snprintf(buf, sizeof buf, "    if (h%d_%d > 0.0) lh%d ^= uvec2(0x%08xu, 0x%08xu);\n", l + 1,
                    k, l, key.lo, key.hi);
      g << buf << "    e" << l << " = min(e" << l << ", abs(h" << l + 1 << "_" << k
        << ") / max(length(q" << l + 1 << "_" << k << "), 1e-30));\n";
    }
    if (kinked)
      g << "    if (e" << l << " < edge_px) { edge_px = e" << l << "; edge_layer = " << l
        << "; }\n    hash ^= lh" << l << ";\n    refine_family(lh" << l << ");\n  }\n";
    if (!kinked) neuron += layer.width();
    for (int k = 0; k < layer.width(); ++k) {
      const std::string h = "h" + std::to_string(l + 1) + "_" + std::to_string(k);
      const std::string q = "q" + std::to_string(l + 1) + "_" + std::to_string(k);
      std::string slope;
      switch (layer.activation) {
      case Activation::relu: slope = "0.0"; break;
      case Activation::leaky_relu: slope = literal(layer.alpha); break;
      case Activation::abs: slope = "-1.0"; break;
      case Activation::linear: slope = "1.0"; break;
      }
      g << "  float s" << l + 1 << "_" << k << " = " << h << " > 0.0 ? 1.0 : " << slope << ";\n"
        << "  float z" << l + 1 << "_" << k << " = s" << l + 1 << "_" << k << " * " << h << ";\n"
        << "  vec2 g" << l + 1 << "_" << k << " = s" << l + 1 << "_" << k << " * " << q << ";\n";
    }
  }
  const int out = L + 1;
  // Outputs (all kMaxOutputs of them: 0-3, 4-7, 8-9) and the chosen output's gradient, for the
  // colour modes (colour_modes.glsl).
  static_assert(kMaxOutputs == 10, "f_lo, f_hi and f_ex carry 10 outputs");
  auto value = [&](int k) {
    return k < net.outputs() ? "h" + std::to_string(out) + "_" + std::to_string(k) : "0.0";
  };
  g << "  f_lo = vec4(" << value(0) << ", " << value(1) << ", " << value(2) << ", " << value(3)
    << ");\n  f_hi = vec4(" << value(4) << ", " << value(5) << ", " << value(6) << ", "
    << value(7) << ");\n  f_ex = vec2(" << value(8) << ", " << value(9) << ");\n  f_grad = q"
    << out << "_0;\n";
  for (int k = 1; k < net.outputs(); ++k)
    g << "  if (u_output_index == " << k << ") f_grad = q" << out << "_" << k << ";\n";
  if (net.outputs() == 1) {
    g << "  boundary_px = abs(h" << out << "_0) / max(length(q" << out << "_0), 1e-30);\n";
  } else {
    // Top two logits and their gradients: the boundary is where they tie.
    g << "  float fa = h" << out << "_0, fb = h" << out << "_1;\n"
      << "  vec2 ga = q" << out << "_0, gb = q" << out << "_1;\n"
      << "  if (fb > fa) { float t = fa; fa = fb; fb = t; vec2 u = ga; ga = gb; gb = u; }\n";
    for (int k = 2; k < net.outputs(); ++k) {
      const std::string f = "h" + std::to_string(out) + "_" + std::to_string(k);
      const std::string q = "q" + std::to_string(out) + "_" + std::to_string(k);
      g << "  if (" << f << " > fa) { fb = fa; gb = ga; fa = " << f << "; ga = " << q << "; }\n"
        << "  else if (" << f << " > fb) { fb = " << f << "; gb = " << q << "; }\n";
    }
    g << "  boundary_px = (fa - fb) / max(length(ga - gb), 1e-30);\n";
  }
  g << "  edge_px /= px;\n  boundary_px /= px;\n}\n";
  return g.str();
}

} // namespace splinescope
