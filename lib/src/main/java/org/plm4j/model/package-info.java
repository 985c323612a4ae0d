/**
 * BERT-style encoders with a masked-language-model head ({@link org.plm4j.model.MaskedLanguageModel}),
 * their architecture ({@link org.plm4j.model.EncoderConfig}) and checkpoints in Hugging Face
 * layout ({@code config.json} + {@code model.safetensors}).
 */
package org.plm4j.model;
