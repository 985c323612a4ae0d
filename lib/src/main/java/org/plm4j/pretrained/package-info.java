/**
 * Real pretrained encoders: {@link org.plm4j.pretrained.Pretrained#load(String)} for the catalogue
 * (all-MiniLM-L6-v2 from Maven Central, converted once into the plm4j cache) and
 * {@link org.plm4j.pretrained.Pretrained#load(java.nio.file.Path)} for any Hugging Face model
 * directory, each returning the model with its tokenizer ({@link org.plm4j.pretrained.PretrainedModel}).
 */
package org.plm4j.pretrained;
