// imgui_renderer.h - draws Dear ImGui's draw lists with WebGL2 without reading GL state back.
//
// ImGui's own OpenGL3 backend saves and restores about twenty pieces of GL state around every
// frame with glGet*/glIsEnabled. In a browser each of those is a synchronous round trip to the GPU
// process, which waits for every command issued before it (the tiles of the frame): the main
// thread stalled for the whole of the GPU's frame. This renderer sets the state it needs and
// leaves the context in the app's documented resting state instead (imgui_renderer_render()).
#pragma once

struct ImDrawData;

namespace splinescope {

// Compiles the shader and uploads the font atlas; false (with a message) if WebGL refuses.
bool imgui_renderer_init(const char** error);
void imgui_renderer_shutdown();
// Uploads ImGui's font atlas (built on demand) as the interface's texture, replacing the last.
void imgui_renderer_upload_fonts();
// Uploads an RGBA image (width x height texels, rows top down) into *texture, made on first use,
// for ImDrawList::AddImage; returns the texture as an ImTextureID.
void* imgui_renderer_image(unsigned* texture, int width, int height, const unsigned char* rgba);
// Draws into the default framebuffer. Leaves: blend, scissor, depth and cull tests off; no
// program, vertex array, array buffer or texture bound; texture unit 0 active; viewport the
// whole drawable. The app's renderers set everything else they use before each draw.
void imgui_renderer_render(const ImDrawData* draw_data);

} // namespace splinescope
