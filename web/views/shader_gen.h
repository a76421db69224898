// shader_gen.h - GLSL for one network architecture: evaluate_network() fully unrolled, with the
// weights in a uniform block. Every index is a compile-time constant, so software renderers keep
// the whole evaluation in registers; that is many times faster than the general loop version
// (shaders/network_loop.glsl) with its dynamically indexed arrays.
#pragma once

#include "network.h"

#include <string>
#include <vector>

namespace splinescope {

// Floats in the uniform block of a network (W rows then bias, neuron by neuron, layer by layer).
int unrolled_weight_count(const Network& net);
// Whether the unrolled version is worth it (the weights fit the guaranteed 16 KB uniform block
// and the code stays small enough to compile quickly).
bool can_unroll(const Network& net);
// The architecture's identity for the generated code: widths, activations, leaky slopes.
std::string architecture_signature(const Network& net);
// GLSL defining `uniform Weights` and evaluate_network() for this architecture (batch norm must
// already be folded).
std::string unrolled_network_glsl(const Network& net);
// The uniform block's contents, padded to whole vec4s.
std::vector<float> unrolled_weights(const Network& net);

} // namespace splinescope
