#include "core/media/video_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <system_error>

#include "core/media/ffmpeg_common.h"

namespace avvp::media {

using namespace detail;

namespace {

struct OutputDeleter {
    void operator()(AVFormatContext* oc) const {
        if (oc->pb && !(oc->oformat->flags & AVFMT_NOFILE)) avio_closep(&oc->pb);
        avformat_free_context(oc);
    }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputDeleter>;

const char* videoEncoderName(VideoCodec c) {
    switch (c) {
        case VideoCodec::H264:
            return "libx264";
        case VideoCodec::Vp9:
            return "libvpx-vp9";
        case VideoCodec::Mpeg4:
            return "mpeg4";
    }
    return "";
}

AVCodecID videoCodecId(VideoCodec c) {
    switch (c) {
        case VideoCodec::H264:
            return AV_CODEC_ID_H264;
        case VideoCodec::Vp9:
            return AV_CODEC_ID_VP9;
        case VideoCodec::Mpeg4:
            return AV_CODEC_ID_MPEG4;
    }
    return AV_CODEC_ID_NONE;
}

}  // namespace

struct VideoWriter::Impl {
    std::filesystem::path path;
    VideoWriterOptions opt;
    OutputPtr oc;
    CodecContextPtr venc, aenc;
    AVStream* vst = nullptr;
    AVStream* ast = nullptr;
    SwsPtr sws;
    AVPixelFormat swsInput = AV_PIX_FMT_NONE;
    SwrPtr swr;
    FramePtr vframe, aframe;
    PacketPtr pkt = makePacket();
    std::vector<float> pending;  // interleaved input samples not yet encoded
    std::int64_t frames = 0, samples = 0, samplesEncoded = 0;
    int audioFrameSize = 1024;
    bool finished = false, headerWritten = false;

    [[noreturn]] void fail(MediaErrorKind kind, const std::string& reason) const {
        throw MediaError(kind, path.string(), reason);
    }

    Impl(const std::filesystem::path& file, VideoWriterOptions o) : path(file), opt(std::move(o)) {
        installLogCapture();
        if (opt.width <= 0 || opt.height <= 0 || opt.width % 2 || opt.height % 2 ||
            opt.width > 8192 || opt.height > 8192)
            fail(MediaErrorKind::InvalidArgument, "video size must be positive and even, not " +
                                                      std::to_string(opt.width) + "x" +
                                                      std::to_string(opt.height));
        if (!opt.frameRate.valid() || opt.frameRate.value() > 1000)
            fail(MediaErrorKind::InvalidArgument, "invalid frame rate");
        if (opt.audio && (opt.channels < 1 || opt.channels > 8))
            fail(MediaErrorKind::InvalidArgument, "audio channels must be 1 to 8");

        AVFormatContext* raw = nullptr;
        clearLastLog();
        int rc = avformat_alloc_output_context2(&raw, nullptr, nullptr, path.c_str());
        if (rc < 0 || !raw)
            fail(MediaErrorKind::InvalidArgument, "unknown container for the extension '" +
                                                      path.extension().string() +
                                                      "' (use .mp4, .mkv, .webm or .mov)");
        oc.reset(raw);
        openVideo();
        if (opt.audio) openAudio();

        if (!(oc->oformat->flags & AVFMT_NOFILE)) {
            clearLastLog();
            rc = avio_open(&oc->pb, path.c_str(), AVIO_FLAG_WRITE);
            if (rc < 0) fail(MediaErrorKind::Write, failure("cannot create the file", rc));
        }
        AVDictionary* muxOpts = nullptr;
        const std::string muxer = oc->oformat->name;
        if (opt.fastStart && (muxer == "mp4" || muxer == "mov"))
            av_dict_set(&muxOpts, "movflags", "+faststart", 0);
        clearLastLog();
        rc = avformat_write_header(oc.get(), &muxOpts);
        av_dict_free(&muxOpts);
        if (rc < 0) {
            discard();
            fail(MediaErrorKind::Write, failure("cannot write the header", rc));
        }
        headerWritten = true;
    }

    ~Impl() {
        if (!finished) discard();
    }

    // Closes and deletes a partial output.
    void discard() {
        if (!oc) return;
        if (oc->pb && !(oc->oformat->flags & AVFMT_NOFILE)) avio_closep(&oc->pb);
        oc.reset();
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }

    void requireContainerCodec(AVCodecID id, const char* what) {
        if (avformat_query_codec(oc->oformat, id, FF_COMPLIANCE_NORMAL) != 1)
            fail(MediaErrorKind::InvalidArgument, std::string("the ") + oc->oformat->name +
                                                      " container cannot hold " + what + " " +
                                                      avcodec_get_name(id));
    }

    void openVideo() {
        const AVCodecID id = videoCodecId(opt.videoCodec);
        requireContainerCodec(id, "video");
        const AVCodec* codec = avcodec_find_encoder_by_name(videoEncoderName(opt.videoCodec));
        if (!codec) codec = avcodec_find_encoder(id);
        if (!codec)
            fail(MediaErrorKind::Unsupported,
                 std::string("this FFmpeg build has no ") + avcodec_get_name(id) + " encoder");
        venc.reset(avcodec_alloc_context3(codec));
        if (!venc) throw std::bad_alloc();
        AVCodecContext* c = venc.get();
        c->width = opt.width;
        c->height = opt.height;
        c->time_base = AVRational{opt.frameRate.den, opt.frameRate.num};
        c->framerate = AVRational{opt.frameRate.num, opt.frameRate.den};
        c->pix_fmt = AV_PIX_FMT_YUV420P;
        c->gop_size = opt.keyframeInterval > 0
                          ? opt.keyframeInterval
                          : std::max(1, static_cast<int>(std::lround(2 * opt.frameRate.value())));
        // Mark the colour matrix the frames are converted with, as decoders assume it.
        const bool hd = opt.height >= 720;
        c->colorspace = hd ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M;
        c->color_primaries = hd ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M;
        c->color_trc = hd ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M;
        c->color_range = AVCOL_RANGE_MPEG;
        if (oc->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        switch (opt.videoCodec) {
            case VideoCodec::H264:
                av_opt_set(c->priv_data, "preset", opt.preset.c_str(), 0);
                av_opt_set_double(c->priv_data, "crf", opt.quality >= 0 ? opt.quality : 20, 0);
                break;
            case VideoCodec::Vp9:
                c->bit_rate = 0;
                av_opt_set_int(c->priv_data, "crf", opt.quality >= 0 ? opt.quality : 32, 0);
                av_opt_set(c->priv_data, "deadline", "realtime", 0);
                av_opt_set_int(c->priv_data, "cpu-used", 8, 0);
                av_opt_set_int(c->priv_data, "row-mt", 1, 0);
                break;
            case VideoCodec::Mpeg4:
                c->flags |= AV_CODEC_FLAG_QSCALE;
                c->global_quality = FF_QP2LAMBDA * (opt.quality > 0 ? opt.quality : 3);
                c->max_b_frames = 2;
                break;
        }
        clearLastLog();
        int rc = avcodec_open2(c, codec, nullptr);
        if (rc < 0)
            fail(MediaErrorKind::Unsupported,
                 failure(std::string("cannot open the ") + codec->name + " encoder", rc));
        vst = avformat_new_stream(oc.get(), nullptr);
        if (!vst) throw std::bad_alloc();
        vst->time_base = c->time_base;
        vst->avg_frame_rate = c->framerate;
        rc = avcodec_parameters_from_context(vst->codecpar, c);
        if (rc < 0) fail(MediaErrorKind::Write, failure("video stream parameters", rc));

        vframe = makeFrame();
        vframe->format = c->pix_fmt;
        vframe->width = c->width;
        vframe->height = c->height;
        rc = av_frame_get_buffer(vframe.get(), 0);
        if (rc < 0) throw std::bad_alloc();
    }

    void openAudio() {
        const AVCodecID id = opt.audioCodec == AudioCodec::Aac ? AV_CODEC_ID_AAC : AV_CODEC_ID_OPUS;
        requireContainerCodec(id, "audio");
        const AVCodec* codec = opt.audioCodec == AudioCodec::Opus
                                   ? avcodec_find_encoder_by_name("libopus")
                                   : avcodec_find_encoder_by_name("aac");
        if (!codec) codec = avcodec_find_encoder(id);
        if (!codec)
            fail(MediaErrorKind::Unsupported,
                 std::string("this FFmpeg build has no ") + avcodec_get_name(id) + " encoder");
        if (codec->supported_samplerates) {
            bool ok = false;
            for (const int* r = codec->supported_samplerates; *r; ++r)
                ok = ok || *r == opt.sampleRate;
            if (!ok)
                fail(MediaErrorKind::InvalidArgument, std::string("the ") + codec->name +
                                                          " encoder does not take " +
                                                          std::to_string(opt.sampleRate) + " Hz");
        }
        AVSampleFormat fmt = AV_SAMPLE_FMT_NONE;
        if (codec->sample_fmts) {
            for (const AVSampleFormat* f = codec->sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f) {
                if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT) {
                    fmt = *f;
                    break;
                }
            }
            if (fmt == AV_SAMPLE_FMT_NONE) fmt = codec->sample_fmts[0];
        } else {
            fmt = AV_SAMPLE_FMT_FLTP;
        }
        aenc.reset(avcodec_alloc_context3(codec));
        if (!aenc) throw std::bad_alloc();
        AVCodecContext* c = aenc.get();
        c->sample_fmt = fmt;
        c->sample_rate = opt.sampleRate;
        av_channel_layout_default(&c->ch_layout, opt.channels);
        c->bit_rate = opt.audioBitRate > 0 ? opt.audioBitRate : 64000 * opt.channels;
        c->time_base = AVRational{1, opt.sampleRate};
        if (oc->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        clearLastLog();
        int rc = avcodec_open2(c, codec, nullptr);
        if (rc < 0)
            fail(MediaErrorKind::Unsupported,
                 failure(std::string("cannot open the ") + codec->name + " encoder", rc));
        audioFrameSize =
            (c->frame_size > 0 && !(codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE))
                ? c->frame_size
                : 1024;
        ast = avformat_new_stream(oc.get(), nullptr);
        if (!ast) throw std::bad_alloc();
        ast->time_base = c->time_base;
        rc = avcodec_parameters_from_context(ast->codecpar, c);
        if (rc < 0) fail(MediaErrorKind::Write, failure("audio stream parameters", rc));

        SwrContext* raw = nullptr;
        rc = swr_alloc_set_opts2(&raw, &c->ch_layout, fmt, opt.sampleRate, &c->ch_layout,
                                 AV_SAMPLE_FMT_FLT, opt.sampleRate, 0, nullptr);
        swr.reset(raw);
        if (rc < 0 || swr_init(swr.get()) < 0)
            fail(MediaErrorKind::Unsupported, "cannot set up the audio sample conversion");
        aframe = makeFrame();
    }

    void drain(AVCodecContext* c, AVStream* st) {
        while (true) {
            int rc = avcodec_receive_packet(c, pkt.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(MediaErrorKind::Write, failure("encoding failed", rc));
            av_packet_rescale_ts(pkt.get(), c->time_base, st->time_base);
            pkt->stream_index = st->index;
            clearLastLog();
            rc = av_interleaved_write_frame(oc.get(), pkt.get());
            if (rc < 0) fail(MediaErrorKind::Write, failure("writing failed", rc));
        }
    }

    void send(AVCodecContext* c, AVStream* st, const AVFrame* f) {
        clearLastLog();
        const int rc = avcodec_send_frame(c, f);
        if (rc < 0 && rc != AVERROR_EOF)
            fail(MediaErrorKind::Write, failure("encoding failed", rc));
        drain(c, st);
    }

    void requireOpen() const {
        if (finished)
            throw MediaError(MediaErrorKind::InvalidArgument, path.string(),
                             "write after finish()");
    }

    void writeVideo(const std::uint8_t* data, int stride, AVPixelFormat fmt) {
        requireOpen();
        sws.reset(sws_getCachedContext(sws.release(), opt.width, opt.height, fmt, opt.width,
                                       opt.height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr,
                                       nullptr, nullptr));
        if (!sws) fail(MediaErrorKind::Unsupported, "cannot convert RGB to YUV");
        if (fmt != swsInput) {
            const int cs = opt.height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
            sws_setColorspaceDetails(sws.get(), sws_getCoefficients(SWS_CS_DEFAULT), 1,
                                     sws_getCoefficients(cs), 0, 0, 1 << 16, 1 << 16);
            swsInput = fmt;
        }
        int rc = av_frame_make_writable(vframe.get());
        if (rc < 0) throw std::bad_alloc();
        const std::uint8_t* src[4] = {data, nullptr, nullptr, nullptr};
        const int srcStride[4] = {stride, 0, 0, 0};
        sws_scale(sws.get(), src, srcStride, 0, opt.height, vframe->data, vframe->linesize);
        vframe->pts = frames++;
        send(venc.get(), vst, vframe.get());
    }

    void encodeAudioFrames(bool final) {
        const auto ch = static_cast<std::size_t>(opt.channels);
        std::size_t offset = 0;
        const std::size_t available = pending.size() / ch;
        while (available - offset >= static_cast<std::size_t>(audioFrameSize) ||
               (final && offset < available)) {
            std::size_t n =
                std::min<std::size_t>(available - offset, static_cast<std::size_t>(audioFrameSize));
            const bool small = n < static_cast<std::size_t>(audioFrameSize);
            const bool padded =
                small && !(aenc->codec->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME);
            const std::size_t frameLen = padded ? static_cast<std::size_t>(audioFrameSize) : n;
            av_frame_unref(aframe.get());
            aframe->format = aenc->sample_fmt;
            aframe->sample_rate = aenc->sample_rate;
            aframe->nb_samples = static_cast<int>(frameLen);
            av_channel_layout_copy(&aframe->ch_layout, &aenc->ch_layout);
            if (av_frame_get_buffer(aframe.get(), 0) < 0) throw std::bad_alloc();
            std::vector<float> chunk(
                pending.begin() + static_cast<std::ptrdiff_t>(offset * ch),
                pending.begin() + static_cast<std::ptrdiff_t>((offset + n) * ch));
            chunk.resize(frameLen * ch, 0.0f);
            const auto* in = reinterpret_cast<const std::uint8_t*>(chunk.data());
            const int got = swr_convert(swr.get(), aframe->data, static_cast<int>(frameLen), &in,
                                        static_cast<int>(frameLen));
            if (got < 0) fail(MediaErrorKind::Write, failure("audio conversion failed", got));
            aframe->pts = samplesEncoded;
            samplesEncoded += static_cast<std::int64_t>(frameLen);
            send(aenc.get(), ast, aframe.get());
            offset += n;
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(offset * ch));
    }

    void writeAudio(std::span<const float> pcm) {
        requireOpen();
        if (!aenc) fail(MediaErrorKind::InvalidArgument, "the writer was created without audio");
        if (pcm.size() % static_cast<std::size_t>(opt.channels) != 0)
            fail(MediaErrorKind::InvalidArgument,
                 "audio sample count is not a whole number of frames");
        pending.insert(pending.end(), pcm.begin(), pcm.end());
        samples += static_cast<std::int64_t>(pcm.size() / static_cast<std::size_t>(opt.channels));
        encodeAudioFrames(false);
    }

    void finish() {
        if (finished) return;
        try {
            if (aenc) {
                encodeAudioFrames(true);
                send(aenc.get(), ast, nullptr);
            }
            send(venc.get(), vst, nullptr);
            clearLastLog();
            int rc = av_write_trailer(oc.get());
            if (rc < 0) fail(MediaErrorKind::Write, failure("cannot finish the file", rc));
            if (!(oc->oformat->flags & AVFMT_NOFILE)) {
                rc = avio_closep(&oc->pb);
                if (rc < 0) fail(MediaErrorKind::Write, failure("cannot close the file", rc));
            }
            finished = true;
        } catch (...) {
            discard();
            finished = true;
            throw;
        }
    }
};

VideoWriter::VideoWriter(const std::filesystem::path& file, VideoWriterOptions options)
    : impl_(std::make_unique<Impl>(file, std::move(options))) {}
VideoWriter::~VideoWriter() = default;
VideoWriter::VideoWriter(VideoWriter&&) noexcept = default;
VideoWriter& VideoWriter::operator=(VideoWriter&&) noexcept = default;

const VideoWriterOptions& VideoWriter::options() const {
    return impl_->opt;
}

void VideoWriter::writeFrame(std::span<const std::uint8_t> rgb24) {
    const auto need = static_cast<std::size_t>(impl_->opt.width) *
                      static_cast<std::size_t>(impl_->opt.height) * 3;
    if (rgb24.size() != need)
        impl_->fail(MediaErrorKind::InvalidArgument, "frame has " + std::to_string(rgb24.size()) +
                                                         " bytes, expected " +
                                                         std::to_string(need));
    impl_->writeVideo(rgb24.data(), impl_->opt.width * 3, AV_PIX_FMT_RGB24);
}

void VideoWriter::writeFrame(const VideoFrame& f) {
    if (f.width != impl_->opt.width || f.height != impl_->opt.height ||
        f.pixels.size() < static_cast<std::size_t>(f.stride()) * static_cast<std::size_t>(f.height))
        impl_->fail(MediaErrorKind::InvalidArgument, "frame size does not match the writer's");
    impl_->writeVideo(f.pixels.data(), f.stride(),
                      f.format == PixelFormat::Rgb24 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_BGRA);
}

void VideoWriter::writeAudio(std::span<const float> interleaved) {
    impl_->writeAudio(interleaved);
}
void VideoWriter::finish() {
    impl_->finish();
}
std::int64_t VideoWriter::framesWritten() const {
    return impl_->frames;
}
std::int64_t VideoWriter::audioFramesWritten() const {
    return impl_->samples;
}

void renderVideo(const std::filesystem::path& file, const VideoWriterOptions& options,
                 double seconds, const FrameDrawer& draw, const AudioSynth& audio) {
    if (!(seconds > 0) || !std::isfinite(seconds))
        throw MediaError(MediaErrorKind::InvalidArgument, file.string(),
                         "duration must be positive");
    VideoWriter w(file, options);
    const double fps = options.frameRate.value();
    const auto nFrames = std::max<std::int64_t>(1, std::llround(seconds * fps));
    const bool withAudio = options.audio && audio;
    const auto nSamples = withAudio ? std::llround(seconds * options.sampleRate) : 0;
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(options.width) *
                                  static_cast<std::size_t>(options.height) * 3);
    std::vector<float> pcm;
    std::int64_t samplesDone = 0;
    for (std::int64_t i = 0; i < nFrames; ++i) {
        std::fill(rgb.begin(), rgb.end(), std::uint8_t{0});
        draw(i, static_cast<double>(i) / fps, rgb);
        w.writeFrame(rgb);
        if (withAudio) {
            // Audio up to the end of this frame, so the muxer interleaves in small steps.
            const auto until =
                i + 1 == nFrames ? nSamples
                                 : std::min<std::int64_t>(
                                       nSamples, std::llround((i + 1) / fps * options.sampleRate));
            if (until > samplesDone) {
                pcm.assign(static_cast<std::size_t>((until - samplesDone) * options.channels),
                           0.0f);
                audio(samplesDone, pcm);
                w.writeAudio(pcm);
                samplesDone = until;
            }
        }
    }
    w.finish();
}

}  // namespace avvp::media
