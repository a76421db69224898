// compare.h - compare mode: two to four panes side by side (the compare key, url_state.h), on the
// same data and seed, each the page's settings with its own changes (batch norm on in one, off
// in the other; another activation, width, optimiser, weight decay). The frame loop trains them
// in lock step (the same steps each), and they share one view window: pan or zoom one, all follow.
//
// These functions act on the panes they are given; the frame loop (main.cpp) decides when.
#pragma once

#include "pane.h"
#include "session.h"

#include <imgui.h>

#include <memory>
#include <string>
#include <vector>

namespace splinescope {

using Panes = std::vector<std::unique_ptr<Pane>>;

// A pane with its renderer ready, training `config` (nullptr, with *error, when WebGL2 refuses).
std::unique_ptr<Pane> make_pane(const SessionConfig& config, std::string* error);

// Makes the panes of `specs` over `base`: pane i trains compare_pane_config(base, specs[i]).
// Fewer than two specs: one pane (the first, kept) with the page's settings. Existing panes whose
// settings stay are kept, with their runs. Returns notes (settings a pane could not take).
std::vector<std::string> set_compare(Panes& panes, const std::vector<std::string>& specs,
                                     const SessionConfig& base);
// The page's settings applied to every pane, each with its own changes. Returns the refusals.
std::vector<std::string> apply_compare_settings(Panes& panes, const SessionConfig& base);

// The panes' canvases: equal parts of the free rectangle (CSS px, left top right bottom) of the
// whole canvas, in the grid that keeps them squarest, 8 px apart; one pane: the whole canvas.
void layout_panes(Panes& panes, const Canvas& whole, double left, double top, double right, double bottom);
// The first pane's view, colours, overlays and highlighted neuron, given to the others (the
// panels and the input edit the first).
void follow_first_pane(Panes& panes);
// The pane under a point of the canvas (CSS px), or -1.
int pane_at(const Panes& panes, float x, float y);

// The panes' colours (Okabe-Ito: blue, vermillion, green, reddish purple), for their labels and
// their curves in the charts; darker on the light theme.
ImU32 pane_colour(int index, bool light);
// Weights and biases of a network (batch norm's scale and shift included).
long parameter_count(const Network& net);
// "A", "B", ...
std::string pane_letter(int index);
// Each pane's label at its top right: its letter in its colour, its settings, its tile count and
// test loss; and a frame round each pane.
void pane_labels(const Panes& panes, ImDrawList* list, bool light);
// A pane's settings as a reader reads them ("bn 1, lr 0.01"; "as set" for none).
std::string settings_label(const std::string& settings);

} // namespace splinescope
