package org.plm4j.kernel;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

import java.util.List;

/**
 * A kernel_info_reply with the {@code "status": "ok"} field the Jupyter protocol requires and that
 * jjava-jupyter 1.0-a6 leaves out.
 */
final class KernelInfoOkReply extends KernelInfoReply {
    @SuppressWarnings("unused") // serialized by Gson
    private final String status = "ok";

    KernelInfoOkReply(String protocolVersion, String name, String version, LanguageInfo info, String banner, List<HelpLink> links) {
        super(protocolVersion, name, version, info, banner, links);
    }
}
