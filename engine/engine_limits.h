// engine_limits.h - the engine's size limits, in one place.
//
// Every entry point that accepts a size (network specs, JSON, URL state, CLI) checks against these
// and reports a clear error instead of allocating something absurd.
#pragma once

namespace splinescope {

constexpr int kMaxInputDim = 16;       // D: input dimension (D > 2 is shown through a 2-D slice)
constexpr int kMaxHiddenLayers = 8;    // hidden layers
constexpr int kMaxWidth = 64;          // neurons per hidden layer
constexpr int kMaxOutputs = 8;         // C: 1 = binary logit or regression, 2..8 = softmax classes
constexpr int kMaxHiddenNeurons = kMaxHiddenLayers * kMaxWidth; // bits in an activation code
constexpr int kMaxDatasetPoints = 100000;

} // namespace splinescope
