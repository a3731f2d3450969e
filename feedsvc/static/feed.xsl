<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an Atom or RSS feed opened in a browser as a readable page; feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/">
    <xsl:variable name="atom" select="/atom:feed"/>
    <xsl:variable name="rss" select="/rss/channel"/>
    <xsl:variable name="self" select="$atom/atom:link[@rel='self']/@href | $rss/atom:link[@rel='self']/@href"/>
    <xsl:variable name="site" select="$atom/atom:link[@rel='alternate']/@href | $rss/link"/>
    <html lang="{$atom/@xml:lang | $rss/language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$atom/atom:title | $rss/title"/> (feed)</title>
        <style>
          body { font: 1.05rem/1.6 system-ui, sans-serif; max-width: 42rem; margin: 0 auto; padding: 1rem;
                 overflow-wrap: break-word; }
          .note { padding: 0.75rem 1rem; border: 1px solid #999; border-radius: 0.4rem; }
          .meta { color: #666; font-size: 0.92rem; }
          ol { list-style: none; padding: 0; } li { margin: 1.25rem 0; } li p { margin: 0.25rem 0; }
        </style>
      </head>
      <body>
        <div class="note">
          <p><strong>This is a feed.</strong> Copy its URL into your feed reader to subscribe:</p>
          <p><code><xsl:value-of select="$self"/></code></p>
          <p>Or <a href="{$site}">read it as a web page</a>.</p>
        </div>
        <h1><xsl:value-of select="$atom/atom:title | $rss/title"/></h1>
        <p class="meta"><xsl:value-of select="$atom/atom:subtitle | $rss/description"/></p>
        <ol>
          <xsl:apply-templates select="$atom/atom:entry | $rss/item"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a>
      <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:value-of select="title"/></a>
      <p class="meta"><xsl:value-of select="substring(pubDate, 1, 16)"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
