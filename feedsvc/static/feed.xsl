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
        <title><xsl:apply-templates select="$atom/atom:title | $rss/title" mode="text"/> (feed)</title>
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
        <h1><xsl:apply-templates select="$atom/atom:title | $rss/title" mode="text"/></h1>
        <p class="meta"><xsl:apply-templates select="$atom/atom:subtitle | $rss/description" mode="text"/></p>
        <ol>
          <xsl:apply-templates select="$atom/atom:entry | $rss/item"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link/@href}"><xsl:apply-templates select="atom:title" mode="text"/></a>
      <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
      <p><xsl:apply-templates select="atom:summary" mode="text"/></p>
    </li>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:apply-templates select="title" mode="text"/></a>
      <p class="meta"><xsl:value-of select="substring(pubDate, 1, 16)"/></p>
    </li>
  </xsl:template>

  <!-- The text of a title or summary. Atom type="html" and RSS text that looked like HTML hold
       the text escaped once more (and plain RSS text holds no entity): shown unescaped, as text. -->
  <xsl:template match="atom:*" mode="text">
    <xsl:choose>
      <xsl:when test="@type = 'html'">
        <xsl:call-template name="unescape"><xsl:with-param name="text" select="."/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*" mode="text">
    <xsl:call-template name="unescape"><xsl:with-param name="text" select="."/></xsl:call-template>
  </xsl:template>

  <!-- &lt; &gt; and &amp; back to the characters they stand for (what an HTML view shows). -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:variable name="rest" select="substring-after($text, '&amp;')"/>
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:choose>
          <xsl:when test="starts-with($rest, 'lt;')">
            <xsl:text>&lt;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 4)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, 'gt;')">
            <xsl:text>&gt;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 4)"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="starts-with($rest, 'amp;')">
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="text" select="substring($rest, 5)"/></xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="unescape"><xsl:with-param name="text" select="$rest"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
